/**
 * SleepHandler: waiting the non-blocking way.
 */
import { sleep } from '@tronada/gen';
import { RequestHandler } from '@tronada/web';
import { secondsArgument } from './seconds-argument.js';

/**
 * `GET /sleep?seconds=s`: waits `s` seconds with `yield sleep(s)`. While this coroutine waits,
 * the loop serves every other request, so two sleeps of 0.5 s take 0.5 s together.
 *
 * @see Tornado `yield gen.sleep(s)` / `await asyncio.sleep(s)` (never `time.sleep`)
 */
export class SleepHandler extends RequestHandler {
  override *get() {
    const seconds = secondsArgument(this);
    const started = performance.now();
    yield sleep(seconds);
    this.write({ slept: seconds, elapsed: (performance.now() - started) / 1000 });
  }
}
