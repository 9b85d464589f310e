import { resolve } from 'node:path';
import { createLogger, defineConfig } from 'vite';

// The archive's HTTP port in development (scripts/run.sh); override with PACS_URL=http://127.0.0.1:18142 npm run dev.
const archive = process.env.PACS_URL ?? 'http://127.0.0.1:8042';
const root = import.meta.dirname;

// The codecs' emscripten glue imports fs/path/url for its Node.js branch, which never runs in a browser; Vite's note
// about each of them is noise in every build.
const logger = createLogger();
const warn = logger.warn.bind(logger);
logger.warn = (message, options) => {
  if (!message.includes('externalized for browser compatibility')) {
    warn(message, options);
  }
};

export default defineConfig({
  base: '/',
  customLogger: logger,
  build: {
    // build/ohif/ belongs to scripts/build-web.sh, so only our own folder is emptied.
    outDir: 'build/app',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
    rolldownOptions: {
      // The decode worker's import.meta.url transform is slow by nature; the timing report says nothing new each build.
      checks: { bundlerTimings: false },
      input: {
        main: resolve(root, 'index.html'),
        view: resolve(root, 'view/index.html'),
      },
    },
  },
  worker: { format: 'es' },
  server: {
    proxy: {
      '/dicomweb': archive,
      '/wado': archive,
      '/web-config.json': archive,
    },
  },
  preview: {
    proxy: {
      '/dicomweb': archive,
      '/wado': archive,
      '/web-config.json': archive,
    },
  },
  // Dev server only: the loader must not be pre-bundled (its worker and wasm URLs break), but the emscripten glue and
  // dicom-parser it imports are CommonJS and must be.
  optimizeDeps: {
    exclude: ['@cornerstonejs/dicom-image-loader'],
    include: [
      '@cornerstonejs/codec-charls/decodewasmjs',
      '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
      '@cornerstonejs/codec-openjpeg/decodewasmjs',
      '@cornerstonejs/codec-openjph/wasmjs',
      'dicom-parser',
    ],
  },
});
