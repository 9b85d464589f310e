#!/usr/bin/env bash
# Builds what Pacs.Web serves to browsers, into web/build/ (never committed):
#   web/build/app/    the study list (/) and the phone viewer (/view/), built from web/ with npm + Vite
#   web/build/ohif/   the OHIF viewer, the prebuilt dist of the npm package @ohif/app, pruned and rebased onto /ohif/
# Everything comes from the npm registry through npm. Each part is skipped when its inputs have not changed.
#   PACS_OHIF_MICROSCOPY=1   keep OHIF's dicom-microscopy-viewer/ (20 MB; only for slide microscopy, SM)
#   PACS_WEB_CACHE=DIR       where the OHIF tarball is kept (default ~/.cache/pacs-web)
#   PACS_OHIF_BASE=/path/    the path OHIF is served under (default /ohif/; match Pacs:Web:Viewer:OhifPath)
set -euo pipefail
cd "$(dirname "$0")/.."

ohif_version=3.13.2
# npm's dist.integrity of @ohif/app@3.13.2: a re-published or tampered tarball fails here.
ohif_integrity="sha512-WZdxmpmG7rqFgW9ZJLcbgr3XCtLi1KDNPoMaeY5PPe6j4G4fjEjjkycZM6C6Zk2F87BKxFfpq+jd5xXZB9E8EA=="
ohif_base="${PACS_OHIF_BASE:-/ohif/}"
microscopy="${PACS_OHIF_MICROSCOPY:-0}"
cache="${PACS_WEB_CACHE:-${HOME:-/tmp}/.cache/pacs-web}"
out=web/build

for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build-web: $tool is required (scripts/install-deps.sh installs it)" >&2; exit 1; }
done

# --- OHIF ---------------------------------------------------------------------------------------------------
build_ohif() {
  ohif_stamp_want="@ohif/app@$ohif_version base=$ohif_base microscopy=$microscopy rebase=$(sha256sum scripts/ohif-rebase.mjs | cut -c1-16)"
  ohif_stamp="$out/ohif/.pacs-ohif-stamp"
  if [[ -f "$ohif_stamp" && "$(cat "$ohif_stamp")" == "$ohif_stamp_want" ]]; then
    echo "build-web: web/build/ohif is up to date ($ohif_version)"
    return 0
  fi

  mkdir -p "$cache" "$out"
  local tarball="$cache/ohif-app-$ohif_version.tgz"
  integrity_of() { echo "sha512-$(openssl dgst -sha512 -binary "$1" | base64 -w0)"; }
  if [[ ! -f "$tarball" || "$(integrity_of "$tarball")" != "$ohif_integrity" ]]; then
    echo "build-web: npm pack @ohif/app@$ohif_version"
    rm -f "$tarball"
    npm pack "@ohif/app@$ohif_version" --pack-destination "$cache" --silent >/dev/null
  fi
  if [[ "$(integrity_of "$tarball")" != "$ohif_integrity" ]]; then
    echo "build-web: $tarball does not match the pinned integrity $ohif_integrity" >&2
    rm -f "$tarball"
    exit 1
  fi

  staging=$(mktemp -d "$out/.ohif-staging.XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  tar -xzf "$tarball" -C "$staging" package/dist
  local dist="$staging/package/dist"
  [[ -f "$dist/index.html" ]] || { echo "build-web: the @ohif/app tarball has no dist/index.html" >&2; exit 1; }

  # What a PACS does not use: onnxruntime for AI segmentation (136 MB), the slide microscopy viewer (unless asked),
  # the Netlify/serve files, the Google Cloud sample config and the shipped app-config.js (Pacs generates its own).
  rm -rf "$dist/ort" "$dist/_headers" "$dist/_redirects" "$dist/serve.json" "$dist/google.js" "$dist/app-config.js"
  if [[ "$microscopy" != "1" ]]; then
    rm -rf "$dist/dicom-microscopy-viewer"
  fi

  node scripts/ohif-rebase.mjs "$dist" "$ohif_base"
  echo "$ohif_stamp_want" > "$dist/.pacs-ohif-stamp"
  rm -rf "$out/ohif"
  mv "$dist" "$out/ohif"
  echo "build-web: web/build/ohif ready ($(du -sh "$out/ohif" | cut -f1), @ohif/app@$ohif_version)"
}

# --- web/: the study list and the phone viewer --------------------------------------------------------------
build_app() {
  if [[ -f web/package.json ]]; then
    if [[ ! -d web/node_modules || web/package-lock.json -nt web/node_modules ]]; then
      echo "build-web: npm ci in web/"
      (cd web && npm ci --no-audit --no-fund --loglevel=error)
      touch web/node_modules
    fi
    # The inputs of the Vite build; the stamp holds their hash, so an unchanged tree is not rebuilt.
    sources_hash=$(
      find web -path web/node_modules -prune -o -path web/build -prune -o -type f \
        \( -path 'web/src/*' -o -path 'web/view/*' -o -path 'web/public/*' -o -name '*.html' -o -name '*.json' -o -name '*.ts' -o -name '*.js' -o -name '*.mjs' -o -name '.npmrc' \) \
        -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
    stamp="$out/app/.pacs-build-stamp"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$sources_hash" ]]; then
      echo "build-web: web/build/app is up to date"
    else
      echo "build-web: npm run build in web/"
      (cd web && npm run build --silent)
      [[ -f "$out/app/index.html" ]] || { echo "build-web: web/ built but $out/app/index.html is missing" >&2; exit 1; }
      echo "$sources_hash" > "$stamp"
    fi
  else
    echo "build-web: no web/package.json, skipping the study list and phone viewer"
  fi
}

build_ohif
build_app
