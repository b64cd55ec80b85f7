/**
 * Closes the loop's shared AsyncHTTPClient after each test, before the test loop checks for
 * leaks (its idle keep-alive connections hold timers and sockets).
 */
import { AsyncHTTPClient } from '@tronada/httpclient';

/** Registers the afterEach hook; call it after `useTestLoop` so that it runs first. */
export function closeHttpClient(hooks: { afterEach: (fn: () => void) => void }): void {
  hooks.afterEach(() => new AsyncHTTPClient().close());
}
