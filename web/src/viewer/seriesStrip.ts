import type { I18n } from '../i18n';
import type { SeriesInfo } from './studyData';

/** The series thumbnails: one button[data-series-uid] each, aria-pressed on the one shown. */
export class SeriesStrip {
  private readonly buttons = new Map<string, HTMLButtonElement>();
  private readonly counts = new Map<string, number | null>();

  constructor(
    private readonly container: HTMLElement,
    private readonly i18n: I18n,
    private readonly thumbnailUrl: (seriesUid: string) => string,
    onSelect: (seriesUid: string) => void,
  ) {
    container.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button[data-series-uid]') : null;
      if (button?.dataset.seriesUid) {
        onSelect(button.dataset.seriesUid);
      }
    });
  }

  render(series: readonly SeriesInfo[]): void {
    const buttons = series.map((s) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'series';
      button.dataset.seriesUid = s.uid;
      button.setAttribute('aria-pressed', 'false');
      const image = document.createElement('img');
      image.alt = '';
      image.decoding = 'async';
      image.dataset.src = this.thumbnailUrl(s.uid);
      image.addEventListener('error', () => image.classList.add('missing'), { once: true });
      const label = document.createElement('span');
      label.className = 'label';
      const title = document.createElement('span');
      title.className = 'title';
      title.textContent = s.description || `${s.modality} ${s.number ?? ''}`.trim();
      const count = document.createElement('span');
      count.className = 'count';
      label.append(title, count);
      button.append(image, label);
      this.buttons.set(s.uid, button);
      this.counts.set(s.uid, s.instanceCount);
      this.describe(s.uid, s.modality);
      return button;
    });
    this.container.replaceChildren(...buttons);
  }

  /** Thumbnails are fetched only once the first image is up, so they never delay it. */
  loadThumbnails(): void {
    for (const button of this.buttons.values()) {
      const image = button.querySelector('img');
      if (image?.dataset.src && !image.src) {
        image.src = image.dataset.src;
      }
    }
  }

  select(seriesUid: string): void {
    for (const [uid, button] of this.buttons) {
      button.setAttribute('aria-pressed', String(uid === seriesUid));
      if (uid === seriesUid) {
        button.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      }
    }
  }

  setCount(seriesUid: string, images: number): void {
    this.counts.set(seriesUid, images);
    this.describe(seriesUid);
  }

  refresh(): void {
    for (const uid of this.buttons.keys()) {
      this.describe(uid);
    }
  }

  private describe(seriesUid: string, modality?: string): void {
    const button = this.buttons.get(seriesUid);
    const count = button?.querySelector('.count');
    if (!button || !count) {
      return;
    }
    if (modality !== undefined) {
      button.dataset.modality = modality;
    }
    const n = this.counts.get(seriesUid);
    const parts = [button.dataset.modality ?? '', n === null || n === undefined ? '' : this.i18n.t('images', { n })];
    count.textContent = parts.filter((p) => p).join(' · ');
  }
}
