import { cache, Enums, eventTarget } from '@cornerstonejs/core';

interface ImageEventDetail {
  readonly image?: { readonly imageId?: string };
  readonly imageId?: string;
}

/**
 * Counts how many images of the shown series are in Cornerstone's cache (stack prefetch fills it in the background),
 * so the page can report progress (body[data-loaded]) and the moment the whole series is there.
 */
export class SeriesLoadTracker {
  private readonly pending: Set<string>;
  private readonly total: number;
  private failed = 0;
  private done = false;
  private readonly onLoaded = (event: Event): void => this.loaded(event as CustomEvent<ImageEventDetail>);
  private readonly onFailed = (event: Event): void => this.failure(event as CustomEvent<ImageEventDetail>);

  constructor(
    imageIds: readonly string[],
    private readonly onProgress: (loaded: number, total: number) => void,
    private readonly onComplete: () => void,
  ) {
    this.total = imageIds.length;
    this.pending = new Set(imageIds.filter((id) => !cache.isLoaded(id)));
    eventTarget.addEventListener(Enums.Events.IMAGE_LOADED, this.onLoaded);
    eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_FAILED, this.onFailed);
    this.report();
  }

  get failures(): number {
    return this.failed;
  }

  dispose(): void {
    eventTarget.removeEventListener(Enums.Events.IMAGE_LOADED, this.onLoaded);
    eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_FAILED, this.onFailed);
  }

  private loaded(event: CustomEvent<ImageEventDetail>): void {
    const imageId = event.detail.image?.imageId;
    if (imageId && this.pending.delete(imageId)) {
      this.report();
    }
  }

  private failure(event: CustomEvent<ImageEventDetail>): void {
    if (event.detail.imageId && this.pending.has(event.detail.imageId)) {
      this.failed++;
    }
  }

  private report(): void {
    this.onProgress(this.total - this.pending.size, this.total);
    if (this.pending.size === 0 && !this.done) {
      this.done = true;
      this.dispose();
      this.onComplete();
    }
  }
}
