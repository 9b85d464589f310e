#!/usr/bin/env bash
# Installs what is missing, builds (the web UI with scripts/build-web.sh, then the server), and runs the Pacs server on its embedded default:
# a PostgreSQL cluster under ./data/index (started and stopped by the server), blobs under ./data/blobs,
# DICOM on port 11112 as AE "PACS", HTTP on 127.0.0.1:8042. Arguments are passed to the server,
# e.g. scripts/run.sh --Pacs:Dicom:Port=104 or scripts/run.sh --config /etc/pacs/production.json
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build-web.sh
dotnet build src/Pacs.Server -c Release --verbosity quiet --nologo
exec dotnet src/Pacs.Server/bin/Release/net10.0/Pacs.Server.dll "$@"
