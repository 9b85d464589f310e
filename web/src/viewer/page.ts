import { formatDicomDate } from '../dicom/dates';
import { formatPersonName } from '../dicom/json';
import type { I18n } from '../i18n';
import { byTestId, setPageState } from '../shared/dom';
import type { PatientSummary } from './studyData';

type ErrorKey = 'missingStudy' | 'noImages';

/** The viewer page's chrome: title, error box and page state, in the current language. */
export class ViewerPage {
  readonly viewport = byTestId<HTMLDivElement>('viewport');
  readonly sliceIndicator = byTestId('slice-indicator');
  readonly voiIndicator = byTestId('voi-indicator');
  readonly seriesLabel = byTestId('series-label');
  readonly seriesList = byTestId('series-list');
  readonly spinner = byTestId('spinner');
  readonly presetButtons = [...document.querySelectorAll<HTMLButtonElement>('button[data-preset]')];
  private readonly errorBox = byTestId('error');
  private readonly title = byTestId('study-title');
  private errorKey: ErrorKey | null = null;
  private errorDetail = '';
  private patient: PatientSummary | null = null;

  constructor(readonly i18n: I18n) {
    i18n.apply();
    i18n.bindSwitch(byTestId<HTMLSelectElement>('lang-switch'));
    i18n.onChange(() => {
      this.renderTitle();
      this.renderError();
    });
    this.renderTitle();
  }

  setPatient(patient: PatientSummary): void {
    this.patient ??= patient;
    this.renderTitle();
  }

  fail(error: unknown, key: ErrorKey | null = null): void {
    this.errorKey = key;
    this.errorDetail = error instanceof Error ? error.message : String(error ?? '');
    this.spinner.hidden = true;
    this.renderError();
    setPageState('error');
  }

  clearError(): void {
    this.errorKey = null;
    this.errorDetail = '';
    this.renderError();
  }

  private renderError(): void {
    if (!this.errorKey && !this.errorDetail) {
      this.errorBox.hidden = true;
      return;
    }
    this.errorBox.textContent = `${this.i18n.t('errorPrefix')}: ${this.errorKey ? this.i18n.t(this.errorKey) : this.errorDetail}`;
    this.errorBox.hidden = false;
  }

  private renderTitle(): void {
    const p = this.patient;
    const parts = p ? [formatPersonName(p.patientName), formatDicomDate(p.studyDate, this.i18n.language), p.studyDescription] : [];
    this.title.textContent = parts.filter((part) => part).join(' · ') || this.i18n.t('viewerTitle');
    document.title = `${this.title.textContent} · ${this.i18n.t('appTitle')}`;
  }
}
