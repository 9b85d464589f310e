import { cache, Enums, imageLoadPoolManager, init as initCore, RenderingEngine, type Types } from '@cornerstonejs/core';
import { init as initLoader } from '@cornerstonejs/dicom-image-loader';

const viewportId = 'pacs-stack';
const prefetchRequests = 8;

/**
 * Starts Cornerstone3D with the DICOM image loader (its decode workers carry the WASM/JS codecs of every transfer
 * syntax) and makes element a stack viewport.
 */
export function createStackViewport(element: HTMLDivElement): Types.IStackViewport {
  initCore();
  // Cornerstone's default (3 GB) is more than a phone browser lets a tab keep; 1 GB still holds a few 512² CT series.
  cache.setMaxCacheSize(1024 * 1024 * 1024);
  // Prefetch would otherwise start every frame of the series at once (up to 1000), and a slice the user jumps to would
  // wait behind all of them in the browser's connection queue; a few at a time keep the connections as busy.
  imageLoadPoolManager.setMaxSimultaneousRequests(Enums.RequestType.Prefetch, prefetchRequests);
  // Decoding runs in workers; half the cores (at most 4) leaves the main thread and the network room on a phone.
  const cores = navigator.hardwareConcurrency || 2;
  initLoader({ maxWebWorkers: Math.max(1, Math.min(4, Math.floor(cores / 2))) });
  const engine = new RenderingEngine('pacs-viewer');
  engine.enableElement({
    viewportId,
    type: Enums.ViewportType.STACK,
    element,
    defaultOptions: { background: [0, 0, 0] },
  });
  const viewport = engine.getViewport(viewportId) as Types.IStackViewport;
  new ResizeObserver(() => engine.resize(true, true)).observe(element);
  return viewport;
}
