#!/usr/bin/env bash
# RESET_CMD for ../shared/bench/bench_pacs.sh: stops the Pacs server started by a previous call, wipes its data
# directory, and starts a fresh one (Release build, embedded PostgreSQL, file-system blobs) that knows the kit's
# C-MOVE destination BENCHSCP=127.0.0.1:11113. Returns once the DICOM port answers.
#   WORK (default /tmp/pacs-bench/kit), DICOM_PORT (11112), HTTP_PORT (8042), PG_PORT (5433), SERVER_DLL,
#   SERVER_ARGS (extra server arguments, e.g. --Pacs:Storage:DirectWrites=false)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${WORK:-/tmp/pacs-bench/kit}"
DICOM_PORT="${DICOM_PORT:-11112}"
HTTP_PORT="${HTTP_PORT:-8042}"
PG_PORT="${PG_PORT:-5433}"
DLL="${SERVER_DLL:-$ROOT/src/Pacs.Server/bin/Release/net10.0/Pacs.Server.dll}"

if [[ -f "$WORK/server.pid" ]]; then
  pid=$(cat "$WORK/server.pid")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
fi
rm -rf "$WORK/data"
mkdir -p "$WORK"
chmod 755 "$WORK"

nohup dotnet "$DLL" --Pacs:DataDirectory="$WORK/data" --Pacs:Dicom:Port="$DICOM_PORT" --Pacs:Dicom:AeTitle=PACS \
  --Pacs:Dicom:BindAddress=127.0.0.1 --Pacs:Database:EmbeddedPort="$PG_PORT" --Urls="http://127.0.0.1:$HTTP_PORT" \
  --Pacs:Dicom:KnownAes:0:AeTitle=BENCHSCP --Pacs:Dicom:KnownAes:0:Host=127.0.0.1 --Pacs:Dicom:KnownAes:0:Port=11113 ${SERVER_ARGS:-} \
  > "$WORK/server.log" 2>&1 &
echo $! > "$WORK/server.pid"
for _ in $(seq 1 300); do
  if echoscu -aec PACS 127.0.0.1 "$DICOM_PORT" >/dev/null 2>&1; then exit 0; fi
  sleep 0.2
done
echo "Pacs server did not start; see $WORK/server.log" >&2
exit 1
