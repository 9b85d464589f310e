import { inputDateToDicom } from '../dicom/dates';
import { getDicomJson, type JsonResult } from '../dicom/http';
import { Tag } from '../dicom/json';
import type { SearchCriteria } from './criteria';

/** Study attributes the list shows beyond the QIDO-RS defaults. */
const studyIncludeFields = [
  Tag.NumberOfStudyRelatedSeries,
  Tag.NumberOfStudyRelatedInstances,
  Tag.StudyDescription,
  Tag.ModalitiesInStudy,
  Tag.PatientBirthDate,
  Tag.PatientSex,
  Tag.ReferringPhysicianName,
  Tag.StudyTime,
  Tag.AccessionNumber,
];

/** A typed name is a prefix: the archive matches it without case or diacritics, so "nguyen" finds "Nguyễn^Văn Ánh". */
function namePattern(typed: string): string {
  return /[*?]/.test(typed) ? typed : `${typed}*`;
}

function dateRange(from: string, to: string): string {
  const start = inputDateToDicom(from);
  const end = inputDateToDicom(to);
  return start || end ? `${start}-${end}` : '';
}

/** QIDO-RS SearchForStudies for one page; asks one row more than the page so the list knows whether another follows. */
export function studiesUrl(dicomWebRoot: string, criteria: SearchCriteria): string {
  const params = new URLSearchParams();
  if (criteria.PatientName) {
    params.set('PatientName', namePattern(criteria.PatientName));
  }
  if (criteria.PatientID) {
    params.set('PatientID', criteria.PatientID);
  }
  if (criteria.AccessionNumber) {
    params.set('AccessionNumber', criteria.AccessionNumber);
  }
  const range = dateRange(criteria.StudyDateFrom, criteria.StudyDateTo);
  if (range) {
    params.set('StudyDate', range);
  }
  if (criteria.ModalitiesInStudy) {
    params.set('ModalitiesInStudy', criteria.ModalitiesInStudy);
  }
  params.set('includefield', studyIncludeFields.join(','));
  params.set('fuzzymatching', 'true');
  params.set('limit', String(criteria.limit + 1));
  params.set('offset', String(criteria.offset));
  return `${dicomWebRoot}/studies?${params.toString()}`;
}

export function searchStudies(dicomWebRoot: string, criteria: SearchCriteria, signal?: AbortSignal): Promise<JsonResult> {
  return getDicomJson(studiesUrl(dicomWebRoot, criteria), signal);
}
