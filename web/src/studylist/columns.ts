import { formatDicomDate, formatDicomTime } from '../dicom/dates';
import type { I18n, MessageKey } from '../i18n';
import type { SortOrder } from './criteria';
import type { Study } from './study';

type SortValue = string | number | null;

/** A result column: its keyword (data-field / data-sort), header, cell text and the value it sorts by. */
export interface Column {
  readonly field: string;
  readonly label: MessageKey;
  readonly numeric?: boolean;
  /** Narrow screens drop these first. */
  readonly secondary?: boolean;
  text(study: Study, i18n: I18n): string;
  sortValue(study: Study): SortValue;
}

function sexLabel(sex: string, i18n: I18n): string {
  switch (sex) {
    case 'M':
      return i18n.t('sexM');
    case 'F':
      return i18n.t('sexF');
    case 'O':
      return i18n.t('sexO');
    default:
      return sex;
  }
}

const count = (value: number | null): string => (value === null ? '' : String(value));

export const columns: readonly Column[] = [
  { field: 'PatientName', label: 'patientName', text: (s) => s.PatientName, sortValue: (s) => s.PatientName },
  { field: 'PatientID', label: 'patientId', text: (s) => s.PatientID, sortValue: (s) => s.PatientID },
  {
    field: 'PatientBirthDate',
    label: 'birthDate',
    secondary: true,
    text: (s, i18n) => formatDicomDate(s.PatientBirthDate, i18n.language),
    sortValue: (s) => s.PatientBirthDate,
  },
  { field: 'PatientSex', label: 'sex', secondary: true, text: (s, i18n) => sexLabel(s.PatientSex, i18n), sortValue: (s) => s.PatientSex },
  {
    field: 'StudyDate',
    label: 'studyDate',
    text: (s, i18n) => formatDicomDate(s.StudyDate, i18n.language),
    sortValue: (s) => (s.StudyDate ? `${s.StudyDate}${s.StudyTime.replace(/:/g, '')}` : null),
  },
  {
    field: 'StudyTime',
    label: 'studyTime',
    secondary: true,
    text: (s) => (s.StudyTime ? formatDicomTime(s.StudyTime) : ''),
    sortValue: (s) => s.StudyTime.replace(/:/g, ''),
  },
  { field: 'ModalitiesInStudy', label: 'modalities', text: (s) => s.ModalitiesInStudy.join(', '), sortValue: (s) => s.ModalitiesInStudy.join(',') },
  { field: 'AccessionNumber', label: 'accessionNumber', secondary: true, text: (s) => s.AccessionNumber, sortValue: (s) => s.AccessionNumber },
  { field: 'StudyDescription', label: 'description', text: (s) => s.StudyDescription, sortValue: (s) => s.StudyDescription },
  {
    field: 'NumberOfStudyRelatedSeries',
    label: 'seriesCount',
    numeric: true,
    secondary: true,
    text: (s) => count(s.NumberOfStudyRelatedSeries),
    sortValue: (s) => s.NumberOfStudyRelatedSeries,
  },
  {
    field: 'NumberOfStudyRelatedInstances',
    label: 'instanceCount',
    numeric: true,
    text: (s) => count(s.NumberOfStudyRelatedInstances),
    sortValue: (s) => s.NumberOfStudyRelatedInstances,
  },
  {
    field: 'ReferringPhysicianName',
    label: 'referringPhysician',
    secondary: true,
    text: (s) => s.ReferringPhysicianName,
    sortValue: (s) => s.ReferringPhysicianName,
  },
];

const collator = new Intl.Collator(['vi', 'en'], { sensitivity: 'base', numeric: true });

/** A stable sort on one column; empty values go last in both directions, as a reader expects. */
export function sortStudies(studies: readonly Study[], field: string, order: SortOrder): Study[] {
  const column = columns.find((c) => c.field === field);
  if (!column) {
    return [...studies];
  }
  const sign = order === 'desc' ? -1 : 1;
  return studies
    .map((study, index) => ({ study, index, value: column.sortValue(study) }))
    .sort((a, b) => {
      const aEmpty = a.value === null || a.value === '';
      const bEmpty = b.value === null || b.value === '';
      if (aEmpty || bEmpty) {
        return aEmpty === bEmpty ? a.index - b.index : aEmpty ? 1 : -1;
      }
      const compared =
        typeof a.value === 'number' && typeof b.value === 'number'
          ? a.value - b.value
          : collator.compare(String(a.value), String(b.value));
      return compared === 0 ? a.index - b.index : sign * compared;
    })
    .map((entry) => entry.study);
}
