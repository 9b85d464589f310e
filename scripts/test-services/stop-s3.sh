#!/usr/bin/env bash
# Stop the servers started by start-s3.sh:  stop-s3.sh ROOT [--remove]
set -euo pipefail
ROOT="$(realpath -m "$1")"
if [ -f "$ROOT/pids" ]; then
  for p in $(cat "$ROOT/pids"); do kill "$p" 2>/dev/null || true; done
  for p in $(cat "$ROOT/pids"); do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  rm -f "$ROOT/pids"
fi
if [ "${2:-}" = --remove ]; then rm -rf -- "$ROOT"; fi
