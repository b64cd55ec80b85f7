/**
 * The async-fetch application: the fetch lessons, the page they fetch, `/sleep` and `/block`.
 */
import { fileURLToPath } from 'node:url';
import { Application } from '@tronada/web';
import { AsyncFetchHandler } from './async-fetch-handler.js';
import { BlockHandler } from './block-handler.js';
import { CallbackFetchHandler } from './callback-fetch-handler.js';
import { EngineFetchHandler } from './engine-fetch-handler.js';
import { GeneratorFetchHandler } from './generator-fetch-handler.js';
import { HomeHandler } from './home-handler.js';
import { PageHandler } from './page-handler.js';
import { SleepHandler } from './sleep-handler.js';

/** The app's `templates/` directory (beside `src/` and `dist/`, so both find it). */
export const TEMPLATE_PATH = fileURLToPath(new URL('../templates', import.meta.url));
/** The app's `static/` directory. */
export const STATIC_PATH = fileURLToPath(new URL('../static', import.meta.url));

/** The application with every lesson's route. */
export function makeApp(): Application {
  return new Application(
    [
      ['/', HomeHandler],
      ['/page', PageHandler],
      ['/fetch/generator', GeneratorFetchHandler],
      ['/fetch/async', AsyncFetchHandler],
      ['/fetch/engine', EngineFetchHandler],
      ['/fetch/callback', CallbackFetchHandler],
      ['/sleep', SleepHandler],
      ['/block', BlockHandler],
    ],
    { templatePath: TEMPLATE_PATH, staticPath: STATIC_PATH },
  );
}
