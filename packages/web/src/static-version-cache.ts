/**
 * The cache of static content versions (hashes), one per handler class as in Tornado: a class
 * uses the cache of the nearest class up its chain that has one, and `reset()` gives the class
 * it is called on a fresh cache of its own.
 */

/** Cached versions by absolute path; null records a file that could not be read. */
export type VersionCache = Map<string, string | null>;

const caches = new WeakMap<object, VersionCache>();

/**
 * The version cache `cls` uses: its own, or the nearest ancestor's; `base` gets one on first
 * use, so every class below it finds one.
 */
export function versionCacheOf(cls: object, base: object): VersionCache {
  for (
    let current: object | null = cls;
    current !== null;
    current = Object.getPrototypeOf(current)
  ) {
    const cache = caches.get(current);
    if (cache !== undefined) return cache;
    if (current === base) break;
  }
  const cache: VersionCache = new Map();
  caches.set(base, cache);
  return cache;
}

/** Gives `cls` a new, empty version cache of its own. */
export function resetVersionCache(cls: object): void {
  caches.set(cls, new Map());
}
