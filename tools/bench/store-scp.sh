#!/usr/bin/env bash
# C-STORE throughput of our SCP (`pacs scp` without --out: every dataset is read off the association and discarded)
# against DCMTK `storescp --ignore`, both fed the same CT files by DCMTK storescu on 1 association and on 4
# parallel associations (a round-robin quarter of the files each), in the same run. Release build.
#
#   tools/bench/store-scp.sh [DATA_DIR]
#
# Environment:
#   DATA_DIR   files to send (default /tmp/pacs-bench/ct1200; make it with
#              /usr/bin/python3 ../shared/bench/gen_ct.py --out /tmp/pacs-bench/ct1200 --studies 4 --series 2 --instances 150)
#   REPEATS    runs per SCP and mode (default 2; the best is reported)
#   PORT_OURS  11191, PORT_DCMTK 11192 (127.0.0.1)
#   NO_BUILD=1 do not build first
# DCMTK clients run with TCP_NODELAY=1 (Debian's DCMTK leaves Nagle on, which would measure the client).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DATA_DIR="${1:-${DATA_DIR:-/tmp/pacs-bench/ct1200}}"
REPEATS="${REPEATS:-2}"
PORT_OURS="${PORT_OURS:-11191}"
PORT_DCMTK="${PORT_DCMTK:-11192}"
export TCP_NODELAY=1

if [[ "${NO_BUILD:-0}" != 1 ]]; then
    dotnet build "$ROOT/tools/Pacs.Cli" -c Release -v q -nologo >/dev/null
fi
PACS="$ROOT/tools/Pacs.Cli/bin/Release/net10.0/pacs"

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

find "$DATA_DIR" -type f -name '*.dcm' | sort > "$WORK/all"
COUNT=$(wc -l < "$WORK/all")
BYTES=$(xargs -a "$WORK/all" stat -c %s | awk '{s+=$1} END {print s}')
for i in 0 1 2 3; do awk -v i="$i" 'NR % 4 == i' "$WORK/all" > "$WORK/part$i"; done
echo "data: $COUNT files, $((BYTES / 1048576)) MB from $DATA_DIR"

wait_port() {
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "nothing listens on port $1" >&2
    return 1
}

# send PORT AET ASSOCIATIONS -> prints seconds
send() {
    local port=$1 aet=$2 n=$3 start end
    start=$(date +%s.%N)
    if [[ $n == 1 ]]; then
        xargs -a "$WORK/all" storescu -aec "$aet" 127.0.0.1 "$port" > "$WORK/storescu.log" 2>&1
    else
        local pids=()
        for i in 0 1 2 3; do
            xargs -a "$WORK/part$i" storescu -aec "$aet" 127.0.0.1 "$port" > "$WORK/storescu$i.log" 2>&1 &
            pids+=($!)
        done
        for pid in "${pids[@]}"; do wait "$pid"; done
    fi
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

"$PACS" scp --port "$PORT_OURS" --aet PACS --max-associations 16 > "$WORK/ours.log" 2>&1 &
PIDS+=($!)
storescp --ignore --aetitle STORESCP "$PORT_DCMTK" > "$WORK/dcmtk.log" 2>&1 &
PIDS+=($!)
wait_port "$PORT_OURS"
wait_port "$PORT_DCMTK"

# One warm-up pass each so neither side pays for a cold page cache or JIT in the timed runs.
send "$PORT_OURS" PACS 1 > /dev/null
send "$PORT_DCMTK" STORESCP 1 > /dev/null

printf '%-22s %-6s %10s %12s %10s\n' scp assocs seconds instances/s MB/s
for n in 1 4; do
    for target in "pacs-scp:$PORT_OURS:PACS" "dcmtk-storescp:$PORT_DCMTK:STORESCP"; do
        IFS=: read -r name port aet <<< "$target"
        best=""
        for _ in $(seq 1 "$REPEATS"); do
            s=$(send "$port" "$aet" "$n")
            if [[ -z "$best" ]] || (( $(echo "$s < $best" | bc -l) )); then best=$s; fi
        done
        printf '%-22s %-6s %10.2f %12.1f %10.1f\n' "$name" "$n" "$best" "$(echo "$COUNT / $best" | bc -l)" "$(echo "$BYTES / 1048576 / $best" | bc -l)"
    done
done
