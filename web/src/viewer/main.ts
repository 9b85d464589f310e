import '../styles/common.css';
import '../styles/viewer.css';
import { I18n } from '../i18n';
import { loadConfig } from '../shared/config';
import { setPageState } from '../shared/dom';
import { ViewerPage } from './page';
import { StudySource } from './studyData';

/**
 * The light entry: it shows the page, reads the configuration and asks for the series list and the first series'
 * metadata while the Cornerstone bundle (app.ts, most of the page's weight) downloads and starts.
 */
setPageState('loading');
const page = new ViewerPage(new I18n());
const studyUid = new URLSearchParams(window.location.search).get('StudyInstanceUID')?.trim() ?? '';

async function start(): Promise<void> {
  const app = import('./app');
  const config = await loadConfig();
  const source = new StudySource(config.dicomWebRoot, studyUid);
  source
    .series()
    .then((series) => (series[0] ? source.instances(series[0].uid) : null))
    // Failures are reported by the viewer when it asks for the same answers.
    .catch(() => undefined);
  let run: (typeof import('./app'))['run'];
  try {
    ({ run } = await app);
  } catch (error) {
    page.fail(error);
    return;
  }
  await run(page, source);
}

if (studyUid) {
  await start();
} else {
  page.fail('', 'missingStudy');
}
