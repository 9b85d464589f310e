import { allStrings, firstNumber, firstString, formatPersonName, Tag, type DicomJsonDataset } from '../dicom/json';

/** One QIDO-RS study result, as the list shows it. */
export interface Study {
  readonly StudyInstanceUID: string;
  readonly PatientName: string;
  readonly PatientID: string;
  readonly PatientBirthDate: string;
  readonly PatientSex: string;
  readonly StudyDate: string;
  readonly StudyTime: string;
  readonly ModalitiesInStudy: readonly string[];
  readonly AccessionNumber: string;
  readonly StudyDescription: string;
  readonly NumberOfStudyRelatedSeries: number | null;
  readonly NumberOfStudyRelatedInstances: number | null;
  readonly ReferringPhysicianName: string;
}

export function toStudy(dataset: DicomJsonDataset): Study {
  return {
    StudyInstanceUID: firstString(dataset, Tag.StudyInstanceUID),
    PatientName: formatPersonName(firstString(dataset, Tag.PatientName)),
    PatientID: firstString(dataset, Tag.PatientID),
    PatientBirthDate: firstString(dataset, Tag.PatientBirthDate),
    PatientSex: firstString(dataset, Tag.PatientSex).toUpperCase(),
    StudyDate: firstString(dataset, Tag.StudyDate),
    StudyTime: firstString(dataset, Tag.StudyTime),
    ModalitiesInStudy: allStrings(dataset, Tag.ModalitiesInStudy).filter((m) => m),
    AccessionNumber: firstString(dataset, Tag.AccessionNumber),
    StudyDescription: firstString(dataset, Tag.StudyDescription),
    NumberOfStudyRelatedSeries: firstNumber(dataset, Tag.NumberOfStudyRelatedSeries),
    NumberOfStudyRelatedInstances: firstNumber(dataset, Tag.NumberOfStudyRelatedInstances),
    ReferringPhysicianName: formatPersonName(firstString(dataset, Tag.ReferringPhysicianName)),
  };
}
