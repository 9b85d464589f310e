import type { I18n } from '../i18n';
import type { WebConfig } from '../shared/config';
import { columns } from './columns';
import type { SortOrder } from './criteria';
import type { Study } from './study';

export function ohifUrl(config: WebConfig, studyUid: string): string {
  return `${config.ohifPath}/viewer?StudyInstanceUIDs=${encodeURIComponent(studyUid)}`;
}

export function phoneViewerUrl(studyUid: string): string {
  return `/view/?StudyInstanceUID=${encodeURIComponent(studyUid)}`;
}

/** Header cells: each sortable column is a th[data-sort] whose button toggles the order (aria-sort shows it). */
export function renderHeader(row: HTMLTableRowElement, i18n: I18n, sort: string, order: SortOrder, onSort: (field: string) => void): void {
  row.replaceChildren();
  for (const column of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.dataset.sort = column.field;
    th.classList.toggle('numeric', column.numeric === true);
    th.classList.toggle('secondary', column.secondary === true);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort';
    const label = i18n.t(column.label);
    button.title = i18n.t('sortBy', { column: label });
    const arrow = document.createElement('span');
    arrow.className = 'arrow';
    arrow.setAttribute('aria-hidden', 'true');
    if (column.field === sort) {
      th.setAttribute('aria-sort', order === 'asc' ? 'ascending' : 'descending');
      arrow.textContent = order === 'asc' ? '▲' : '▼';
    }
    button.append(label, arrow);
    th.append(button);
    th.addEventListener('click', () => onSort(column.field));
    row.append(th);
  }
  const actions = document.createElement('th');
  actions.scope = 'col';
  actions.className = 'actions-col';
  actions.textContent = i18n.t('actions');
  row.append(actions);
}

function link(href: string, testId: string, text: string, title: string, className: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = href;
  a.dataset.testid = testId;
  a.textContent = text;
  a.title = title;
  a.className = className;
  return a;
}

/** One tr[data-study-uid] per study; a click or Enter anywhere in the row opens it in OHIF. */
export function renderRows(body: HTMLTableSectionElement, studies: readonly Study[], i18n: I18n, config: WebConfig): void {
  const rows = studies.map((study) => {
    const tr = document.createElement('tr');
    tr.dataset.studyUid = study.StudyInstanceUID;
    tr.tabIndex = 0;
    for (const column of columns) {
      const td = document.createElement('td');
      td.dataset.field = column.field;
      td.textContent = column.text(study, i18n);
      // Long descriptions are cut with an ellipsis; the tooltip keeps the whole text.
      td.title = td.textContent;
      td.classList.toggle('numeric', column.numeric === true);
      td.classList.toggle('secondary', column.secondary === true);
      tr.append(td);
    }
    const ohif = ohifUrl(config, study.StudyInstanceUID);
    const actions = document.createElement('td');
    actions.className = 'actions-col';
    actions.append(
      link(ohif, 'open-ohif', i18n.t('open'), i18n.t('openTitle'), 'open'),
      link(phoneViewerUrl(study.StudyInstanceUID), 'open-phone', i18n.t('openPhoneShort'), i18n.t('openPhone'), 'open-phone'),
    );
    tr.append(actions);
    tr.addEventListener('click', (event) => {
      if (!(event.target instanceof Element && event.target.closest('a'))) {
        window.location.assign(ohif);
      }
    });
    tr.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && event.target === tr) {
        window.location.assign(ohif);
      }
    });
    return tr;
  });
  body.replaceChildren(...rows);
}
