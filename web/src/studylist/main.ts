import '../styles/common.css';
import '../styles/studylist.css';
import { daysAgo, toInputDate } from '../dicom/dates';
import { searchStudies } from './query';
import { I18n } from '../i18n';
import { defaultConfig, loadConfig, type WebConfig } from '../shared/config';
import { byTestId, setPageState } from '../shared/dom';
import { criteriaFromUrl, criteriaToUrl, emptyCriteria, textFields, type SearchCriteria } from './criteria';
import { sortStudies } from './columns';
import { toStudy, type Study } from './study';
import { renderHeader, renderRows } from './table';

/** The server cut the answer short (PS3.18 8.3.4.1): more results exist past this page. */
const truncatedWarning = /exceed|additional results/i;

const i18n = new I18n();
i18n.apply();
i18n.bindSwitch(byTestId<HTMLSelectElement>('lang-switch'));

const form = byTestId<HTMLFormElement>('search-form');
const table = byTestId<HTMLTableElement>('study-table');
const headerRow = table.tHead!.rows[0]!;
const tbody = table.tBodies[0]!;
const resultCount = byTestId('result-count');
const resultRange = byTestId('result-range');
const loadingLabel = byTestId('loading');
const errorBox = byTestId('error');
const emptyBox = byTestId('empty');
const prevButton = byTestId<HTMLButtonElement>('prev-page');
const nextButton = byTestId<HTMLButtonElement>('next-page');
const pageSize = byTestId<HTMLSelectElement>('page-size');

let config: WebConfig = defaultConfig;
let criteria: SearchCriteria = criteriaFromUrl(window.location.search);
let studies: Study[] = [];
let hasMore = false;
let loaded = false;
let running: AbortController | null = null;

function input(name: string): HTMLInputElement | HTMLSelectElement {
  return form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
}

function fillForm(): void {
  for (const field of textFields) {
    input(field).value = criteria[field];
  }
  pageSize.value = String(criteria.limit);
}

function readForm(): SearchCriteria {
  const text = Object.fromEntries(textFields.map((field) => [field, input(field).value.trim()]));
  return { ...criteria, ...text, offset: 0 };
}

function renderTable(): void {
  renderHeader(headerRow, i18n, criteria.sort, criteria.order, toggleSort);
  renderRows(tbody, criteria.sort ? sortStudies(studies, criteria.sort, criteria.order) : studies, i18n, config);
}

function renderSummary(): void {
  const shown = studies.length;
  resultCount.textContent = loaded ? (shown === 1 ? i18n.t('resultCountOne') : i18n.t('resultCount', { n: shown })) : '';
  resultRange.textContent =
    loaded && shown > 0 ? i18n.t('resultRange', { from: criteria.offset + 1, to: criteria.offset + shown }) : '';
  emptyBox.hidden = !loaded || shown > 0;
  prevButton.disabled = criteria.offset === 0;
  nextButton.disabled = !hasMore;
}

function showError(message: string): void {
  errorBox.textContent = `${i18n.t('errorPrefix')}: ${message}`;
  errorBox.hidden = false;
}

async function search(): Promise<void> {
  running?.abort();
  const controller = new AbortController();
  running = controller;
  setPageState('loading');
  loadingLabel.hidden = false;
  errorBox.hidden = true;
  emptyBox.hidden = true;
  prevButton.disabled = true;
  nextButton.disabled = true;
  try {
    const result = await searchStudies(config.dicomWebRoot, criteria, controller.signal);
    studies = result.datasets.slice(0, criteria.limit).map(toStudy);
    hasMore = result.datasets.length > criteria.limit || result.warnings.some((w) => truncatedWarning.test(w));
    loaded = true;
    renderTable();
    renderSummary();
    setPageState('ready');
  } catch (error) {
    if (controller.signal.aborted) {
      return;
    }
    studies = [];
    hasMore = false;
    loaded = false;
    renderTable();
    renderSummary();
    showError(error instanceof Error ? error.message : String(error));
    setPageState('error');
  } finally {
    if (running === controller) {
      loadingLabel.hidden = true;
      running = null;
    }
  }
}

/** A new search is a new history entry, so Back returns to the previous list. */
function navigate(next: SearchCriteria, replace = false): void {
  criteria = next;
  const url = `${window.location.pathname}${criteriaToUrl(criteria)}`;
  if (replace) {
    window.history.replaceState(null, '', url);
  } else if (url !== `${window.location.pathname}${window.location.search}`) {
    window.history.pushState(null, '', url);
  }
}

function toggleSort(field: string): void {
  const order = criteria.sort === field && criteria.order === 'asc' ? 'desc' : 'asc';
  navigate({ ...criteria, sort: field, order }, true);
  renderTable();
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  navigate(readForm());
  void search();
});

byTestId('clear').addEventListener('click', () => {
  navigate({ ...emptyCriteria, limit: criteria.limit });
  fillForm();
  void search();
});

for (const button of form.querySelectorAll<HTMLButtonElement>('[data-days]')) {
  button.addEventListener('click', () => {
    input('StudyDateFrom').value = toInputDate(daysAgo(Number(button.dataset.days)));
    input('StudyDateTo').value = toInputDate(new Date());
    form.requestSubmit();
  });
}

pageSize.addEventListener('change', () => {
  navigate({ ...criteria, limit: Number(pageSize.value), offset: 0 });
  void search();
});

prevButton.addEventListener('click', () => {
  navigate({ ...criteria, offset: Math.max(0, criteria.offset - criteria.limit) });
  void search();
});

nextButton.addEventListener('click', () => {
  navigate({ ...criteria, offset: criteria.offset + studies.length });
  void search();
});

window.addEventListener('popstate', () => {
  criteria = criteriaFromUrl(window.location.search);
  fillForm();
  void search();
});

i18n.onChange(() => {
  document.title = `${i18n.t('studyListTitle')} · ${i18n.t('appTitle')}`;
  renderTable();
  renderSummary();
  if (!errorBox.hidden) {
    errorBox.textContent = errorBox.textContent.replace(/^[^:]*:/, `${i18n.t('errorPrefix')}:`);
  }
});

document.title = `${i18n.t('studyListTitle')} · ${i18n.t('appTitle')}`;
fillForm();
renderTable();
config = await loadConfig();
await search();
