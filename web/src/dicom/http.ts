import type { DicomJsonDataset } from './json';

/** A failed DICOMweb request, carrying the server's own explanation when it sent one. */
export class DicomWebError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'DicomWebError';
  }
}

/** The server's reason: a problem document's detail (RFC 9457), else its text, else the HTTP status. */
async function errorMessage(response: Response): Promise<string> {
  const body = await response.text().catch(() => '');
  const fallback = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (!body) {
    return fallback;
  }
  try {
    const problem = JSON.parse(body) as { detail?: unknown; title?: unknown };
    const detail = typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : '';
    return detail ? `${detail} (${fallback})` : fallback;
  } catch {
    return `${body.slice(0, 300)} (${fallback})`;
  }
}

export interface JsonResult {
  readonly datasets: DicomJsonDataset[];
  /** Warning header values (PS3.18 8.3.3.2), e.g. that the server cut the results. */
  readonly warnings: string[];
}

/** GETs a DICOM JSON array; 204 and an empty body are an empty result. */
export async function getDicomJson(url: string, signal?: AbortSignal): Promise<JsonResult> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/dicom+json' }, signal: signal ?? null });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') {
      throw error;
    }
    throw new DicomWebError(error instanceof Error ? error.message : String(error), 0);
  }
  if (!response.ok) {
    throw new DicomWebError(await errorMessage(response), response.status);
  }
  const warnings = (response.headers.get('Warning') ?? '').split(/,(?=\s*\d{3}\s)/).map((w) => w.trim()).filter((w) => w);
  const text = response.status === 204 ? '' : await response.text();
  const datasets = text.trim() ? (JSON.parse(text) as DicomJsonDataset[]) : [];
  return { datasets, warnings };
}
