/**
 * TargetCache: parsed request URLs, kept by URL string so that repeated fetches of the same URL
 * parse it once (WHATWG URL parsing is a large share of a small request's CPU).
 */
import { parseTarget, type RequestTarget } from './request-target.js';

/**
 * A bounded map from URL string to its {@link RequestTarget}. Guarantees: a lookup returns
 * exactly what {@link parseTarget} returns for that string (targets are frozen, so sharing one
 * is safe); a URL that fails to parse is never kept and throws on every lookup; at most
 * `capacity` entries are kept, the oldest dropped first, and URLs longer than
 * {@link TargetCache.MAX_URL_LENGTH} are parsed every time instead of kept (so the memory held
 * stays within a few times `capacity` × that many characters).
 */
export class TargetCache {
  /** The longest URL kept, in characters. */
  static readonly MAX_URL_LENGTH = 2048;
  readonly #capacity: number;
  readonly #targets = new Map<string, RequestTarget>();

  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1, got ${capacity}`);
    this.#capacity = capacity;
  }

  /** Entries held. */
  get size(): number {
    return this.#targets.size;
  }

  /** The target of `url`, parsed on first use. @throws TypeError as {@link parseTarget}. */
  get(url: string): RequestTarget {
    const targets = this.#targets;
    let target = targets.get(url);
    if (target === undefined) {
      target = parseTarget(url);
      if (url.length > TargetCache.MAX_URL_LENGTH) return target;
      if (targets.size >= this.#capacity) targets.delete(targets.keys().next().value!);
      targets.set(url, target);
    }
    return target;
  }
}
