/** Reading values out of DICOM JSON (PS3.18 Annex F) datasets. */

export interface PersonNameValue {
  readonly Alphabetic?: string;
  readonly Ideographic?: string;
  readonly Phonetic?: string;
}

export interface DicomJsonAttribute {
  readonly vr: string;
  readonly Value?: readonly unknown[];
  readonly BulkDataURI?: string;
  readonly InlineBinary?: string;
}

export type DicomJsonDataset = Readonly<Record<string, DicomJsonAttribute | undefined>>;

/** Tags (group+element, upper-case hex) by the DICOM keyword used in the pages. */
export const Tag = {
  SpecificCharacterSet: '00080005',
  StudyDate: '00080020',
  StudyTime: '00080030',
  AccessionNumber: '00080050',
  Modality: '00080060',
  ModalitiesInStudy: '00080061',
  ReferringPhysicianName: '00080090',
  StudyDescription: '00081030',
  SeriesDescription: '0008103E',
  SOPInstanceUID: '00080018',
  PatientName: '00100010',
  PatientID: '00100020',
  PatientBirthDate: '00100030',
  PatientSex: '00100040',
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  SeriesNumber: '00200011',
  InstanceNumber: '00200013',
  ImagePositionPatient: '00200032',
  ImageOrientationPatient: '00200037',
  NumberOfStudyRelatedSeries: '00201206',
  NumberOfStudyRelatedInstances: '00201208',
  NumberOfSeriesRelatedInstances: '00201209',
  NumberOfFrames: '00280008',
  Rows: '00280010',
} as const;

export function values(dataset: DicomJsonDataset, tag: string): readonly unknown[] {
  return dataset[tag]?.Value ?? [];
}

/** The first value as text ('' when absent); a person name gives its alphabetic form. */
export function firstString(dataset: DicomJsonDataset, tag: string): string {
  const value = values(dataset, tag)[0];
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value === 'object') {
    return (value as PersonNameValue).Alphabetic ?? '';
  }
  return String(value);
}

export function allStrings(dataset: DicomJsonDataset, tag: string): string[] {
  return values(dataset, tag)
    .filter((v) => v !== null && v !== undefined)
    .map((v) => (typeof v === 'object' ? ((v as PersonNameValue).Alphabetic ?? '') : String(v)));
}

export function firstNumber(dataset: DicomJsonDataset, tag: string): number | null {
  const value = values(dataset, tag)[0];
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : Number.NaN;
  return Number.isFinite(number) ? number : null;
}

export function numbers(dataset: DicomJsonDataset, tag: string): number[] {
  return values(dataset, tag).map((v) => (typeof v === 'number' ? v : Number.parseFloat(String(v))));
}

/**
 * A PN's alphabetic group for reading: components family^given^middle^prefix^suffix become
 * "prefix family given middle suffix" (Vietnamese names are stored family^given, e.g. Nguyễn^Văn Ánh).
 */
export function formatPersonName(pn: string): string {
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = pn.split('=')[0]?.split('^') ?? [];
  return [prefix, family, given, middle, suffix]
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .join(' ');
}
