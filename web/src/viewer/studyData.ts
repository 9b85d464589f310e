import { getDicomJson } from '../dicom/http';
import { firstNumber, firstString, Tag, type DicomJsonDataset } from '../dicom/json';
import { seriesUrl } from '../dicom/qido';

/** Series that hold no pixel data the stack viewer could show. */
const nonImageModalities = new Set(['SR', 'PR', 'KO', 'DOC', 'REG', 'RTSTRUCT', 'RTPLAN', 'RTRECORD', 'FID', 'AU', 'ECG']);

export interface SeriesInfo {
  readonly uid: string;
  readonly number: number | null;
  readonly description: string;
  readonly modality: string;
  /** From QIDO-RS; the frame count replaces it once the metadata is read. */
  readonly instanceCount: number | null;
}

export interface PatientSummary {
  readonly patientName: string;
  readonly studyDate: string;
  readonly studyDescription: string;
}

/** The study's image series, in series-number order (unnumbered last). */
export async function listSeries(dicomWebRoot: string, studyUid: string): Promise<SeriesInfo[]> {
  const { datasets } = await getDicomJson(seriesUrl(dicomWebRoot, studyUid));
  return datasets
    .map((d) => ({
      uid: firstString(d, Tag.SeriesInstanceUID),
      number: firstNumber(d, Tag.SeriesNumber),
      description: firstString(d, Tag.SeriesDescription),
      modality: firstString(d, Tag.Modality),
      instanceCount: firstNumber(d, Tag.NumberOfSeriesRelatedInstances),
    }))
    .filter((s) => s.uid && !nonImageModalities.has(s.modality.toUpperCase()))
    .sort((a, b) => (a.number ?? Number.MAX_SAFE_INTEGER) - (b.number ?? Number.MAX_SAFE_INTEGER));
}

/** The absolute WADO-RS address of a series (imageIds carry absolute URLs, whatever page they are used on). */
export function seriesPath(dicomWebRoot: string, studyUid: string, seriesUid: string): string {
  const root = new URL(dicomWebRoot, window.location.href).href.replace(/\/+$/, '');
  return `${root}/studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(seriesUid)}`;
}

/** WADO-RS Retrieve Series Metadata: one request for every instance of the series. */
export async function fetchSeriesMetadata(dicomWebRoot: string, studyUid: string, seriesUid: string): Promise<DicomJsonDataset[]> {
  const { datasets } = await getDicomJson(`${seriesPath(dicomWebRoot, studyUid, seriesUid)}/metadata`);
  return datasets;
}

export function patientSummary(instance: DicomJsonDataset | undefined): PatientSummary {
  const d = instance ?? {};
  return {
    patientName: firstString(d, Tag.PatientName),
    studyDate: firstString(d, Tag.StudyDate),
    studyDescription: firstString(d, Tag.StudyDescription),
  };
}

/**
 * The study as the viewer reads it, each answer requested once: the page starts these requests before the viewer code
 * has even loaded, so the first image's metadata is on its way while Cornerstone starts.
 */
export class StudySource {
  private seriesList: Promise<SeriesInfo[]> | null = null;
  private readonly metadata = new Map<string, Promise<DicomJsonDataset[]>>();

  constructor(
    readonly dicomWebRoot: string,
    readonly studyUid: string,
  ) {}

  series(): Promise<SeriesInfo[]> {
    this.seriesList ??= listSeries(this.dicomWebRoot, this.studyUid);
    return this.seriesList;
  }

  instances(seriesUid: string): Promise<DicomJsonDataset[]> {
    let request = this.metadata.get(seriesUid);
    if (!request) {
      request = fetchSeriesMetadata(this.dicomWebRoot, this.studyUid, seriesUid);
      // A failed request is forgotten, so tapping the series again retries it.
      request.catch(() => this.metadata.delete(seriesUid));
      this.metadata.set(seriesUid, request);
    }
    return request;
  }

  seriesPath(seriesUid: string): string {
    return seriesPath(this.dicomWebRoot, this.studyUid, seriesUid);
  }

  thumbnailUrl(seriesUid: string): string {
    return `${this.seriesPath(seriesUid)}/thumbnail`;
  }
}
