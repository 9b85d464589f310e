#!/usr/bin/env bash
# Installs what Pacs needs on Debian 12 and restores the .NET packages.
#   scripts/install-deps.sh          what the server and CLI need
#   scripts/install-deps.sh --test   also the real peers the tests use (DCMTK, pydicom, GDCM tools, PostgreSQL, Swift S3)
# Idempotent: apt runs only when a package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# postgresql: the server supervises an embedded cluster by default (unaccent and pg_trgm come with it since PG 10).
runtime=(ca-certificates libturbojpeg0 libopenjp2-7 libcharls2 postgresql postgresql-contrib)
# python3-swift + curl: the S3 endpoint (Swift with s3api) the archive tests run against (scripts/test-services).
testing=(dcmtk python3-pydicom python3-numpy libgdcm-tools openjph-tools postgresql postgresql-contrib python3-swift curl)

wanted=("${runtime[@]}")
if [[ "${1:-}" == "--test" ]]; then
  wanted+=("${testing[@]}")
fi

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo=""
  if [[ "$(id -u)" -ne 0 ]]; then sudo="sudo"; fi
  echo "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (dotnet on PATH); see https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

dotnet restore Pacs.sln --verbosity quiet
