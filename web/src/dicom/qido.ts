import { Tag } from './json';

/** QIDO-RS SearchForSeries of one study, with what the viewer's series strip shows. */
export function seriesUrl(dicomWebRoot: string, studyUid: string): string {
  const fields = [Tag.SeriesDescription, Tag.SeriesNumber, Tag.Modality, Tag.NumberOfSeriesRelatedInstances].join(',');
  return `${dicomWebRoot}/studies/${encodeURIComponent(studyUid)}/series?includefield=${fields}`;
}
