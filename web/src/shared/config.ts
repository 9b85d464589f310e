/** Where the pages find the archive, served by the server as /web-config.json so one build fits any deployment. */
export interface WebConfig {
  readonly dicomWebRoot: string;
  readonly wadoUriRoot: string;
  readonly ohifPath: string;
}

export const defaultConfig: WebConfig = {
  dicomWebRoot: '/dicomweb',
  wadoUriRoot: '/wado',
  ohifPath: '/ohif',
};

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value.replace(/\/+$/, '') : fallback;
}

/** The served configuration; the defaults when it cannot be fetched or read, so the pages still work behind any host. */
export async function loadConfig(): Promise<WebConfig> {
  try {
    const response = await fetch('/web-config.json', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok) {
      return defaultConfig;
    }
    const json = (await response.json()) as Record<string, unknown>;
    return {
      dicomWebRoot: text(json.dicomWebRoot, defaultConfig.dicomWebRoot),
      wadoUriRoot: text(json.wadoUriRoot, defaultConfig.wadoUriRoot),
      ohifPath: text(json.ohifPath, defaultConfig.ohifPath),
    };
  } catch {
    return defaultConfig;
  }
}
