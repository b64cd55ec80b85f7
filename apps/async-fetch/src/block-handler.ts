/**
 * BlockHandler: waiting the wrong way.
 */
import { RequestHandler } from '@tronada/web';
import { secondsArgument } from './seconds-argument.js';

/**
 * `GET /block?seconds=s`: spins in a loop for `s` seconds, the stand-in for any blocking call
 * (a synchronous file read, `execSync`, a heavy computation). The loop cannot run anything
 * else meanwhile: every other request, timer and socket of the server waits. Move such work to
 * a worker thread (`IOLoop.current().runInExecutor(null, task)`) or make it non-blocking.
 *
 * @see Tornado's warning against `time.sleep` in handlers (and `IOLoop.run_in_executor`)
 */
export class BlockHandler extends RequestHandler {
  override get(): void {
    const seconds = secondsArgument(this);
    const started = performance.now();
    const until = started + seconds * 1000;
    let spins = 0;
    while (performance.now() < until) spins++;
    this.write({ blocked: seconds, elapsed: (performance.now() - started) / 1000, spins });
  }
}
