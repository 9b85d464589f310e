#!/usr/bin/env node
// Rebases a prebuilt OHIF dist (built for the site root "/") onto a sub-path such as "/ohif/".
//   node scripts/ohif-rebase.mjs DIST /ohif/
// OHIF's build hard-codes the root in four places: index.html (absolute href/src/content URLs and
// window.PUBLIC_URL), the rspack public path `__webpack_require__.p = "/"` of the app bundle and of each worker
// bundle, `url(/…)` in app.bundle.css, and the icon URLs of manifest.json. Every pattern must be found, so an OHIF
// upgrade that changes its build fails here instead of serving a viewer that 404s. Run it on a fresh extract only:
// a second run finds nothing left to patch and fails on purpose (scripts/build-web.sh stamps what it has done).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dist, base] = process.argv.slice(2);
if (!dist || !base || !/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*\/$/.test(base)) {
  console.error('usage: ohif-rebase.mjs DIST /sub/path/   (the base path starts and ends with "/")');
  process.exit(2);
}

function fail(message) {
  console.error(`ohif-rebase: ${message}`);
  process.exit(1);
}

/** Applies each replacement to one file; each must match at least `min` times. */
function patch(file, replacements) {
  const path = join(dist, file);
  let text = readFileSync(path, 'utf8');
  for (const { pattern, replace, min = 1, what } of replacements) {
    const count = (text.match(pattern) ?? []).length;
    if (count < min) {
      fail(`${file}: expected at least ${min} ${what}, found ${count} (has the OHIF build changed?)`);
    }
    text = text.replace(pattern, replace);
  }
  writeFileSync(path, text);
}

const sub = base.slice(1); // "ohif/"

// index.html: attribute values that start with a single "/" (not "//host") and both PUBLIC_URL assignments.
patch('index.html', [
  { pattern: /((?:href|src|content)=")\/(?!\/)/g, replace: `$1/${sub}`, min: 5, what: 'absolute href/src/content URLs' },
  { pattern: /window\.PUBLIC_URL="\/"/g, replace: `window.PUBLIC_URL="${base}"`, min: 2, what: 'window.PUBLIC_URL="/" assignments' },
]);

// The public path the bundles load their chunks, workers and WASM from.
const bundles = readdirSync(dist).filter((f) => f.endsWith('.js') && readFileSync(join(dist, f), 'utf8').includes('__webpack_require__.p = "/"'));
if (bundles.length === 0 || !bundles.some((f) => f.startsWith('app.bundle.'))) {
  fail('no app.bundle.*.js sets __webpack_require__.p = "/" (has the OHIF build changed?)');
}
for (const file of bundles) {
  patch(file, [{ pattern: /__webpack_require__\.p = "\/";/g, replace: `__webpack_require__.p = "${base}";`, what: 'public path assignments' }]);
}

patch('app.bundle.css', [{ pattern: /url\(\/(?!\/)/g, replace: `url(${base}`, what: 'url(/…) references' }]);
patch('manifest.json', [{ pattern: /"src": "\/(?!\/)/g, replace: `"src": "${base}`, what: 'icon src URLs' }]);

console.log(`ohif-rebase: ${dist} rebased onto ${base} (index.html, ${bundles.length} bundles, app.bundle.css, manifest.json)`);
