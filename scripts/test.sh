#!/usr/bin/env bash
# Installs what the tests need (real peers: DCMTK, pydicom, GDCM tools), builds everything and runs every test.
# TRX results go to artifacts/test-results; the last line is the totals of this run.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test || exit 1
scripts/build-web.sh || exit 1

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

dotnet build Pacs.sln -c Release --nologo --verbosity quiet || exit 1
dotnet test Pacs.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" \
  --blame-hang-timeout 10m
status=$?

scripts/test-summary.sh "$results"
exit $status
