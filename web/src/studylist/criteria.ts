/** The study search as the form, the address bar (so reload and back keep it) and QIDO-RS see it. */

export const pageSizes = [25, 50, 100] as const;
export type SortOrder = 'asc' | 'desc';

export interface SearchCriteria {
  readonly PatientName: string;
  readonly PatientID: string;
  readonly AccessionNumber: string;
  /** yyyy-MM-dd, as <input type=date> holds it. */
  readonly StudyDateFrom: string;
  readonly StudyDateTo: string;
  readonly ModalitiesInStudy: string;
  readonly limit: number;
  readonly offset: number;
  readonly sort: string;
  readonly order: SortOrder;
}

export const textFields = ['PatientName', 'PatientID', 'AccessionNumber', 'StudyDateFrom', 'StudyDateTo', 'ModalitiesInStudy'] as const;
export type TextField = (typeof textFields)[number];

export const emptyCriteria: SearchCriteria = {
  PatientName: '',
  PatientID: '',
  AccessionNumber: '',
  StudyDateFrom: '',
  StudyDateTo: '',
  ModalitiesInStudy: '',
  limit: pageSizes[0],
  offset: 0,
  sort: '',
  order: 'asc',
};

function wholeNumber(text: string | null, fallback: number): number {
  const value = text === null ? Number.NaN : Number.parseInt(text, 10);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** yyyy-MM-dd naming a real day, the only form <input type=date> takes; anything else is dropped. */
function inputDate(text: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) {
    return '';
  }
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return date.getMonth() === Number(match[2]) - 1 && date.getDate() === Number(match[3]) ? text : '';
}

export function criteriaFromUrl(search: string): SearchCriteria {
  const params = new URLSearchParams(search);
  const limit = wholeNumber(params.get('limit'), emptyCriteria.limit);
  const text = Object.fromEntries(textFields.map((field) => [field, (params.get(field) ?? '').trim()])) as Record<TextField, string>;
  return {
    ...text,
    StudyDateFrom: inputDate(text.StudyDateFrom),
    StudyDateTo: inputDate(text.StudyDateTo),
    limit: (pageSizes as readonly number[]).includes(limit) ? limit : emptyCriteria.limit,
    offset: wholeNumber(params.get('offset'), 0),
    sort: params.get('sort') ?? '',
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
  };
}

/** Only what differs from the defaults, so a fresh list has a clean address. */
export function criteriaToUrl(criteria: SearchCriteria): string {
  const params = new URLSearchParams();
  for (const field of textFields) {
    if (criteria[field]) {
      params.set(field, criteria[field]);
    }
  }
  if (criteria.limit !== emptyCriteria.limit) {
    params.set('limit', String(criteria.limit));
  }
  if (criteria.offset > 0) {
    params.set('offset', String(criteria.offset));
  }
  if (criteria.sort) {
    params.set('sort', criteria.sort);
    params.set('order', criteria.order);
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}
