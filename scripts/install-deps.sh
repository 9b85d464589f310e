#!/usr/bin/env bash
# Installs what Pacs needs on Debian 12 and restores the .NET packages.
#   scripts/install-deps.sh          what the server and CLI need, and Node.js + npm to build the web UI
#   scripts/install-deps.sh --test   also the real peers the tests use (DCMTK, pydicom, GDCM tools, PostgreSQL, Swift S3, Chromium)
# Idempotent: apt runs only when a package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# postgresql: the server supervises an embedded cluster by default (unaccent and pg_trgm come with it since PG 10).
runtime=(ca-certificates libturbojpeg0 libopenjp2-7 libcharls2 postgresql postgresql-contrib)
# python3-swift + curl: the S3 endpoint (Swift with s3api) the archive tests run against (scripts/test-services).
# chromium + chromium-driver: the browser the viewer tests drive (tests/Pacs.ViewerTests, Playwright on /usr/bin/chromium).
testing=(dcmtk python3-pydicom python3-numpy libgdcm-tools openjph-tools postgresql postgresql-contrib python3-swift curl chromium chromium-driver)

wanted=("${runtime[@]}")
# Node.js + npm build the web UI (scripts/build-web.sh); a Node already on PATH (e.g. from NodeSource or nvm) is kept.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  wanted+=(nodejs npm)
fi
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

# Vite 8 needs Node >= 20.19 (Debian 12's own nodejs is 18).
node_version=$(node -p 'process.versions.node' 2>/dev/null || echo 0.0.0)
IFS=. read -r node_major node_minor _ <<<"$node_version"
if ((node_major < 20 || (node_major == 20 && node_minor < 19))); then
  echo "Node.js $node_version is too old to build the web UI: Vite 8 needs Node >= 20.19 (or 22.12+)." >&2
  echo "Install a newer Node.js (e.g. the NodeSource 22.x packages for Debian) and run this again." >&2
  exit 1
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (dotnet on PATH); see https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

dotnet restore Pacs.sln --verbosity quiet
