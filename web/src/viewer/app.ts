import { Enums, utilities, type Types } from '@cornerstonejs/core';
import { stackPrefetch } from '@cornerstonejs/tools/utilities/stackPrefetch/index';
import { setPageState } from '../shared/dom';
import { createStackViewport } from './cornerstone';
import { attachGestures } from './gestures';
import { registerImageIds } from './imageIds';
import { SeriesLoadTracker } from './loadTracker';
import type { ViewerPage } from './page';
import { isPresetName, presets, type PresetName } from './presets';
import { SeriesStrip } from './seriesStrip';
import { patientSummary, type SeriesInfo, type StudySource } from './studyData';

/** The test and automation surface (window.pacsViewer). */
export interface PacsViewerApi {
  /** 0-based index of the shown slice. */
  sliceIndex(): number;
  sliceCount(): number;
  /** Shows slice i (0-based, clamped to the stack) and resolves once it is rendered. */
  scrollTo(i: number): Promise<void>;
  voi(): { windowWidth: number; windowCenter: number };
}

declare global {
  interface Window {
    pacsViewer?: PacsViewerApi;
  }
}

/** Longest wait for a render event before a promise gives up waiting (it never rejects on that). */
const renderWaitMs = 10_000;
/** Longest the other series' metadata waits for the shown series to finish loading. */
const backgroundMetadataDelayMs = 15_000;

/** Runs the stack viewer on the page's viewport element for the study that source reads. */
export async function run(page: ViewerPage, source: StudySource): Promise<void> {
  const { i18n } = page;
  const element = page.viewport;
  let viewport: Types.IStackViewport;
  try {
    viewport = createStackViewport(element);
  } catch (error) {
    page.fail(error);
    return;
  }

  let seriesList: SeriesInfo[] = [];
  let shownSeries = '';
  let showToken = 0;
  let tracker: SeriesLoadTracker | null = null;
  let firstImageMarked = false;
  const completedSeries = new Set<string>();
  const imageIdsBySeries = new Map<string, Promise<string[]>>();
  let firstSeriesComplete: () => void = () => undefined;
  const firstSeriesLoaded = new Promise<void>((resolve) => {
    firstSeriesComplete = resolve;
  });

  const imagesFor = (seriesUid: string): Promise<string[]> => {
    let images = imageIdsBySeries.get(seriesUid);
    if (!images) {
      images = source.instances(seriesUid).then((instances) => {
        page.setPatient(patientSummary(instances[0]));
        return registerImageIds(source.seriesPath(seriesUid), instances);
      });
      images.catch(() => imageIdsBySeries.delete(seriesUid));
      imageIdsBySeries.set(seriesUid, images);
    }
    return images;
  };

  const strip = new SeriesStrip(page.seriesList, i18n, (uid) => source.thumbnailUrl(uid), (uid) => void show(uid));
  i18n.onChange(() => strip.refresh());

  const sliceCount = (): number => viewport.getImageIds().length;

  const updateSlice = (): void => {
    const count = sliceCount();
    page.sliceIndicator.textContent = count > 0 ? `${viewport.getCurrentImageIdIndex() + 1} / ${count}` : '';
  };

  const currentVoi = (): { windowWidth: number; windowCenter: number } => {
    const range = viewport.getProperties().voiRange;
    if (!range) {
      return { windowWidth: 0, windowCenter: 0 };
    }
    const { windowWidth, windowCenter } = utilities.windowLevel.toWindowLevel(range.lower, range.upper);
    return { windowWidth, windowCenter };
  };

  const updateVoi = (): void => {
    const { windowWidth, windowCenter } = currentVoi();
    page.voiIndicator.textContent = windowWidth ? `W ${Math.round(windowWidth)} · L ${Math.round(windowCenter)}` : '';
  };

  const setPressedPreset = (name: PresetName | null): void => {
    for (const button of page.presetButtons) {
      button.setAttribute('aria-pressed', String(button.dataset.preset === name));
    }
  };

  const applyPreset = (name: PresetName): void => {
    if (name === 'default') {
      viewport.resetProperties();
    } else {
      const { windowWidth, windowCenter } = presets[name];
      viewport.setProperties({ voiRange: utilities.windowLevel.toLowHighRange(windowWidth, windowCenter) });
    }
    setPressedPreset(name);
    viewport.render();
    updateVoi();
  };

  /** The next render whose image satisfies accept; registered before the change that causes it. */
  const nextRender = (accept: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        element.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
        window.clearTimeout(timer);
        resolve();
      };
      const onRendered = (): void => {
        if (accept()) {
          done();
        }
      };
      const timer = window.setTimeout(done, renderWaitMs);
      element.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
    });

  const trackLoading = (seriesUid: string, imageIds: readonly string[], token: number): SeriesLoadTracker =>
    new SeriesLoadTracker(
      imageIds,
      (loaded) => {
        if (token === showToken) {
          document.body.dataset.loaded = String(loaded);
        }
      },
      () => {
        if (token === showToken && !completedSeries.has(seriesUid)) {
          completedSeries.add(seriesUid);
          performance.mark('pacs:series-loaded', { detail: { seriesUid, images: imageIds.length } });
          firstSeriesComplete();
        }
      },
    );

  async function show(seriesUid: string): Promise<void> {
    if (seriesUid === shownSeries && document.body.dataset.state !== 'error') {
      return;
    }
    const token = ++showToken;
    shownSeries = seriesUid;
    strip.select(seriesUid);
    setPageState('loading');
    page.spinner.hidden = false;
    page.clearError();
    let imageIds: string[];
    try {
      imageIds = await imagesFor(seriesUid);
    } catch (error) {
      if (token === showToken) {
        page.fail(error);
      }
      return;
    }
    if (token !== showToken) {
      return;
    }
    strip.setCount(seriesUid, imageIds.length);
    if (imageIds.length === 0) {
      page.fail('', 'noImages');
      return;
    }
    const info = seriesList.find((s) => s.uid === seriesUid);
    page.seriesLabel.textContent = info ? [info.modality, info.description].filter((p) => p).join(' · ') : '';

    stackPrefetch.disable(element);
    tracker?.dispose();
    tracker = trackLoading(seriesUid, imageIds, token);
    const shown = new Set(imageIds);
    const rendered = nextRender(() => shown.has(viewport.getCurrentImageId()));
    try {
      await viewport.setStack(imageIds, 0);
    } catch (error) {
      if (token === showToken) {
        page.fail(error);
      }
      return;
    }
    if (token !== showToken) {
      return;
    }
    setPressedPreset('default');
    viewport.render();
    // The viewport only fetches the slice it shows; prefetch brings in the rest of the series, nearest first.
    stackPrefetch.enable(element);
    await rendered;
    if (token !== showToken) {
      return;
    }
    updateSlice();
    updateVoi();
    page.spinner.hidden = true;
    setPageState('ready');
    if (!firstImageMarked) {
      firstImageMarked = true;
      performance.mark('pacs:first-image', { detail: { seriesUid } });
      strip.loadThumbnails();
    }
  }

  element.addEventListener(Enums.Events.STACK_NEW_IMAGE, updateSlice);
  element.addEventListener(Enums.Events.VOI_MODIFIED, updateVoi);

  for (const button of page.presetButtons) {
    button.addEventListener('click', () => {
      if (isPresetName(button.dataset.preset) && sliceCount() > 0) {
        applyPreset(button.dataset.preset);
      }
    });
  }

  attachGestures(element, {
    step: (delta) => {
      if (sliceCount() > 0) {
        viewport.scroll(delta, true, false);
      }
    },
    zoom: (factor) => {
      viewport.setZoom(Math.min(20, Math.max(0.2, viewport.getZoom() * factor)));
      viewport.render();
    },
    pan: (from, to) => {
      const a = viewport.canvasToWorld([from[0], from[1]]);
      const b = viewport.canvasToWorld([to[0], to[1]]);
      const { focalPoint, position } = viewport.getCamera();
      if (!focalPoint || !position) {
        return;
      }
      const shift = [a[0] - b[0], a[1] - b[1], a[2] - b[2]] as const;
      viewport.setCamera({
        focalPoint: [focalPoint[0] + shift[0], focalPoint[1] + shift[1], focalPoint[2] + shift[2]],
        position: [position[0] + shift[0], position[1] + shift[1], position[2] + shift[2]],
      });
      viewport.render();
    },
    windowLevel: (dx, dy) => {
      const { windowWidth, windowCenter } = currentVoi();
      const scale = Math.max(windowWidth / 256, 1);
      viewport.setProperties({
        voiRange: utilities.windowLevel.toLowHighRange(Math.max(1, windowWidth + dx * scale), windowCenter + dy * scale),
      });
      setPressedPreset(null);
      viewport.render();
    },
    reset: () => {
      viewport.resetCamera();
      applyPreset('default');
    },
    sliceCount,
  });

  window.pacsViewer = {
    sliceIndex: () => viewport.getCurrentImageIdIndex(),
    sliceCount,
    scrollTo: async (i: number) => {
      const count = sliceCount();
      if (count === 0) {
        return;
      }
      const target = Math.max(0, Math.min(count - 1, Math.trunc(i)));
      if (target === viewport.getCurrentImageIdIndex()) {
        return;
      }
      const rendered = nextRender(() => viewport.getCurrentImageIdIndex() === target);
      await viewport.setImageIdIndex(target);
      await rendered;
    },
    voi: currentVoi,
  };

  try {
    seriesList = await source.series();
  } catch (error) {
    page.fail(error);
    return;
  }
  strip.render(seriesList);
  const first = seriesList[0];
  if (!first) {
    page.fail('', 'noImages');
    return;
  }
  await show(first.uid);
  // The other series' metadata once the shown one is in (so it never competes with it); a tap then shows one at once.
  await Promise.race([firstSeriesLoaded, new Promise((resolve) => window.setTimeout(resolve, backgroundMetadataDelayMs))]);
  for (const series of seriesList.slice(1)) {
    await imagesFor(series.uid).then(
      (imageIds) => strip.setCount(series.uid, imageIds.length),
      () => undefined,
    );
  }
}
