#!/usr/bin/env bash
# Ingest benchmark: the Pacs server (Release, embedded PostgreSQL + file-system blobs, fresh data directory for every
# run) receives a CT data set from DCMTK storescu on 1 association and on 4 parallel associations (a round-robin
# quarter of the files each, so all four store into the same series at once), as in ../shared/bench/bench_pacs.sh.
# Each run is checked by counting instances in the index; prints instances/s and MB/s.
#
#   tools/bench/ingest.sh [DATA_DIR]
#
# Environment:
#   DATA_DIR     data set (default /tmp/pacs-bench/ct1200; generated with ../shared/bench/gen_ct.py when missing:
#                4 studies x 2 series x 150 instances of 512x512 CT, 631 MB)
#   WORK         scratch directory for the server's data (default /tmp/pacs-bench/work)
#   REPEATS      runs per mode (default 2)
#   MODES        "single par4" (default)
#   DICOM_PORT   11190, PG_PORT 5490, HTTP_PORT 8090 (all on 127.0.0.1)
#   NO_BUILD=1   do not build the server first
#   SERVER_ARGS  extra arguments for the server (e.g. --Pacs:Database:MaxCommitBatch=32)
# DCMTK clients run with TCP_NODELAY=1 (Debian's DCMTK leaves Nagle on, which would measure the client).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DATA_DIR="${1:-${DATA_DIR:-/tmp/pacs-bench/ct1200}}"
WORK="${WORK:-/tmp/pacs-bench/work}"
REPEATS="${REPEATS:-2}"
MODES="${MODES:-single par4}"
DICOM_PORT="${DICOM_PORT:-11190}"
PG_PORT="${PG_PORT:-5490}"
HTTP_PORT="${HTTP_PORT:-8090}"
AET=PACS
DLL="${SERVER_DLL:-$ROOT/src/Pacs.Server/bin/Release/net10.0/Pacs.Server.dll}"
export TCP_NODELAY=1

log() { echo "[ingest-bench] $*" >&2; }

if [ ! -f "$DATA_DIR/manifest.json" ]; then
  log "generating $DATA_DIR"
  /usr/bin/python3 "$ROOT/../shared/bench/gen_ct.py" --out "$DATA_DIR" --studies 4 --series 2 --instances 150 --quiet
fi
[ "${NO_BUILD:-0}" = 1 ] || dotnet build "$ROOT/src/Pacs.Server" -c Release --nologo --verbosity quiet >&2

mkdir -p "$WORK"
find "$DATA_DIR" -name '*.dcm' | sort > "$WORK/all.lst"
NFILES=$(wc -l < "$WORK/all.lst")
NBYTES=$(xargs -a "$WORK/all.lst" stat -c %s | awk '{s+=$1} END {print s}')
rm -f "$WORK"/part.*
split -n r/4 -d "$WORK/all.lst" "$WORK/part."

SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    for _ in $(seq 1 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID"
  fi
  SERVER_PID=""
}
trap stop_server EXIT

start_fresh_server() {
  stop_server
  rm -rf "$WORK/data"
  mkdir -p "$WORK/data"
  chmod 755 "$WORK" "$WORK/data"
  dotnet "$DLL" --Pacs:DataDirectory="$WORK/data" --Pacs:Dicom:Port="$DICOM_PORT" --Pacs:Dicom:BindAddress=127.0.0.1 \
    --Pacs:Database:EmbeddedPort="$PG_PORT" --Urls="http://127.0.0.1:$HTTP_PORT" ${SERVER_ARGS:-} > "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    if echoscu -aec "$AET" 127.0.0.1 "$DICOM_PORT" >/dev/null 2>&1; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; log "server exited"; exit 1; }
    sleep 0.2
  done
  log "server did not answer C-ECHO"; exit 1
}

# CPU seconds used so far by a process and its children that have not been reaped (a PostgreSQL cluster's backends).
cpu_of_tree() {
  local total=0 p
  for p in $1 $(pgrep -P "$1" 2>/dev/null); do
    [ -r "/proc/$p/stat" ] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$total"
}
cpu_now() {
  local pg; pg=$(head -1 "$WORK/data/index/postmaster.pid" 2>/dev/null || echo 0)
  echo "$(cpu_of_tree "$SERVER_PID") $(cpu_of_tree "$pg")"
}
CLK_TCK=$(getconf CLK_TCK)

psql_index() {
  psql -h "$WORK/data/index" -p "$PG_PORT" -U postgres -d pacs -Atc "$1"
}

printf '%-8s %-4s %8s %10s %8s %8s %10s %12s %12s %6s\n' mode rep seconds inst/s MB/s stored commit_tx server_ms/i pg_ms/i load
for mode in $MODES; do
  for r in $(seq 1 "$REPEATS"); do
    start_fresh_server
    xargs -a "$WORK/all.lst" cat > /dev/null   # source files in the page cache, as in bench_pacs.sh
    sync
    rc=0
    read -r c0 p0 < <(cpu_now)
    load=$(cut -d' ' -f1 /proc/loadavg)
    t0=$EPOCHREALTIME
    if [ "$mode" = single ]; then
      storescu -aet BENCHSCU -aec "$AET" -xe 127.0.0.1 "$DICOM_PORT" $(cat "$WORK/all.lst") > "$WORK/storescu-single.log" 2>&1 || rc=$?
    else
      pids=()
      for p in "$WORK"/part.0[0-3]; do
        storescu -aet BENCHSCU -aec "$AET" -xe 127.0.0.1 "$DICOM_PORT" $(cat "$p") > "$WORK/storescu-$(basename "$p").log" 2>&1 &
        pids+=($!)
      done
      for p in "${pids[@]}"; do wait "$p" || rc=$?; done
    fi
    t1=$EPOCHREALTIME
    read -r c1 p1 < <(cpu_now)
    stored=$(psql_index "SELECT count(*) FROM instance")
    tx=$(psql_index "SELECT count(DISTINCT committed_at) FROM instance_version WHERE state = 'created'")
    [ "$rc" = 0 ] && [ "$stored" = "$NFILES" ] || log "WARNING: storescu rc=$rc, stored $stored of $NFILES"
    awk -v m="$mode" -v r="$r" -v a="$t0" -v b="$t1" -v n="$NFILES" -v by="$NBYTES" -v s="$stored" -v tx="$tx" \
      -v sc="$((c1 - c0))" -v pc="$((p1 - p0))" -v hz="$CLK_TCK" -v l="$load" \
      'BEGIN { w = b - a; printf "%-8s %-4s %8.2f %10.1f %8.1f %8s %10s %12.2f %12.2f %6s\n", m, r, w, n / w, by / w / 1048576, s, tx, sc / hz * 1000 / n, pc / hz * 1000 / n, l }'
  done
done
stop_server
