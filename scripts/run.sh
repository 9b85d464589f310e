#!/usr/bin/env bash
# Installs what is missing, builds, and starts Pacs on its embedded default.
# Until the archive server lands, this runs the `pacs` command line (any arguments are passed to it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
dotnet build tools/Pacs.Cli -c Release --verbosity quiet --nologo
if (($# == 0)); then set -- --help; fi
exec dotnet tools/Pacs.Cli/bin/Release/net10.0/pacs.dll "$@"
