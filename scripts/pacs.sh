#!/usr/bin/env bash
# The `pacs` command line (dump, json, roundtrip, echo, store, find, move, get, scp, …), built on first use.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dll="$root/tools/Pacs.Cli/bin/Release/net10.0/pacs.dll"
if [[ ! -f "$dll" || -n "$(find "$root/src" "$root/tools/Pacs.Cli" -name '*.cs' -newer "$dll" -print -quit)" ]]; then
  dotnet build "$root/tools/Pacs.Cli" -c Release --verbosity quiet --nologo >&2
fi
exec dotnet "$dll" "$@"
