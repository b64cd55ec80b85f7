/**
 * MultiYieldPoint: the legacy way to wait for several yield points (and Futures) at once. All
 * children start together; it is ready when every child is ready and gives their results in the
 * input's shape. The first failure is raised; later ones are logged unless quiet.
 */
import type { Future } from '@tronada/ioloop';
import { appLog, isFuture } from '@tronada/ioloop';
import { convertYielded } from './convert-yielded.js';
import type { MultiOptions } from './multi.js';
import { isQuietException } from './multi.js';
import type { Runner } from './runner.js';
import { isYieldPoint, YieldPoint } from './yield-point.js';

/**
 * Adapts a Future (or anything `convertYielded` accepts) to the YieldPoint protocol.
 *
 * @see Tornado `tornado.gen.YieldFuture`
 */
export class YieldFuture extends YieldPoint {
  readonly #future: Future<unknown>;

  constructor(value: unknown) {
    super();
    this.#future = isFuture(value) ? value : convertYielded(value);
  }

  start(runner: Runner<unknown>): void {
    if (!this.#future.done()) this.#future.addDoneCallback(() => runner.run());
  }

  isReady(): boolean {
    return this.#future.done();
  }

  getResult(): unknown {
    return this.#future.result();
  }
}

/**
 * Runs several yield points and Futures in parallel as one yield point.
 *
 * @see Tornado `tornado.gen.MultiYieldPoint` (the 3.x `Multi` class)
 */
export class MultiYieldPoint extends YieldPoint {
  readonly #keys: string[] | null;
  readonly #children: YieldPoint[];
  readonly #quiet: MultiOptions['quietExceptions'];

  constructor(children: readonly unknown[] | Record<string, unknown>, options: MultiOptions = {}) {
    super();
    this.#keys = Array.isArray(children) ? null : Object.keys(children);
    const values: readonly unknown[] = Array.isArray(children) ? children : Object.values(children);
    this.#children = values.map((c) => (isYieldPoint(c) ? c : new YieldFuture(c)));
    this.#quiet = options.quietExceptions;
  }

  start(runner: Runner<unknown>): void {
    for (const child of this.#children) child.start(runner);
  }

  isReady(): boolean {
    return this.#children.every((c) => c.isReady());
  }

  getResult(): unknown {
    const results: unknown[] = [];
    let failed = false;
    let first: unknown;
    for (const child of this.#children) {
      try {
        results.push(child.getResult());
      } catch (error) {
        if (!failed) {
          failed = true;
          first = error;
        } else if (!isQuietException(error, this.#quiet)) {
          appLog.error('Multiple exceptions in yield list', error);
        }
      }
    }
    if (failed) throw first;
    if (this.#keys === null) return results;
    // fromEntries defines own properties, so a key named `__proto__` stays a key.
    return Object.fromEntries(this.#keys.map((k, i) => [k, results[i]]));
  }
}
