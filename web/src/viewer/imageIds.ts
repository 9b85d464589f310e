import type { Types as LoaderTypes } from '@cornerstonejs/dicom-image-loader';
import { wadors } from '@cornerstonejs/dicom-image-loader';
import { firstNumber, firstString, numbers, Tag, type DicomJsonDataset } from '../dicom/json';

/** Distance along the slice normal, so instances without InstanceNumber still stack in space order. */
function slicePosition(instance: DicomJsonDataset): number {
  const position = numbers(instance, Tag.ImagePositionPatient);
  const orientation = numbers(instance, Tag.ImageOrientationPatient);
  if (position.length !== 3 || orientation.length !== 6) {
    return 0;
  }
  const [r0 = 0, r1 = 0, r2 = 0, c0 = 0, c1 = 0, c2 = 0] = orientation;
  const normal = [r1 * c2 - r2 * c1, r2 * c0 - r0 * c2, r0 * c1 - r1 * c0];
  return position.reduce((sum, value, i) => sum + value * (normal[i] ?? 0), 0);
}

/**
 * Hands each instance's metadata to the loader's metadata manager and returns one wadors: imageId per frame, sorted by
 * InstanceNumber, then position along the normal. A multi-frame instance is added once, under its frame 1 imageId: the
 * manager derives the other frames from it.
 */
export function registerImageIds(seriesPath: string, instances: readonly DicomJsonDataset[]): string[] {
  const images = instances
    .filter((d) => firstNumber(d, Tag.Rows) !== null && firstString(d, Tag.SOPInstanceUID))
    .map((d, index) => ({ d, index, number: firstNumber(d, Tag.InstanceNumber), position: slicePosition(d) }))
    .sort(
      (a, b) =>
        (a.number ?? Number.MAX_SAFE_INTEGER) - (b.number ?? Number.MAX_SAFE_INTEGER) || a.position - b.position || a.index - b.index,
    );
  const imageIds: string[] = [];
  for (const { d } of images) {
    const framesPath = `wadors:${seriesPath}/instances/${encodeURIComponent(firstString(d, Tag.SOPInstanceUID))}/frames/`;
    wadors.metaDataManager.add(`${framesPath}1`, d as unknown as LoaderTypes.WADORSMetaData);
    const frames = Math.max(1, firstNumber(d, Tag.NumberOfFrames) ?? 1);
    for (let frame = 1; frame <= frames; frame++) {
      imageIds.push(`${framesPath}${frame}`);
    }
  }
  return imageIds;
}
