/**
 * Looking up (and caching) the version of static content for a handler class.
 */
import { genLog } from '@tronada/ioloop';
import { hashContent, type StaticContent } from './static-content.js';
import { versionCacheOf } from './static-version-cache.js';

/** The class-side hooks the version lookup uses. */
export interface VersionSource {
  getContent(absPath: string): StaticContent;
  getContentVersion(absPath: string): string;
}

function couldNotOpen(absPath: string, error: unknown): null {
  genLog.error(`Could not open static file ${JSON.stringify(absPath)}`, error);
  return null;
}

/**
 * The version of `absPath` through `cls.getContentVersion`, from `cls`'s cache when `useCache`.
 * A file that cannot be read has no version (null), logged once on `genLog`.
 *
 * @see Tornado `StaticFileHandler._get_cached_version`
 */
export function cachedVersion(
  cls: VersionSource,
  base: object,
  absPath: string,
  useCache: boolean,
): string | null {
  const cache = versionCacheOf(cls, base);
  if (useCache && cache.has(absPath)) return cache.get(absPath) ?? null;
  let version: string | null;
  try {
    version = cls.getContentVersion(absPath) || null;
  } catch (error) {
    version = couldNotOpen(absPath, error);
  }
  if (useCache) cache.set(absPath, version);
  return version;
}

/**
 * Like {@link cachedVersion}, but when the class keeps the default `getContentVersion`
 * (`defaultHook`), the content is hashed with non-blocking reads, so serving a file never
 * blocks the loop on hashing it.
 */
export async function cachedVersionAsync(
  cls: VersionSource,
  base: object,
  absPath: string,
  useCache: boolean,
  defaultHook: VersionSource['getContentVersion'],
): Promise<string | null> {
  if (cls.getContentVersion !== defaultHook) return cachedVersion(cls, base, absPath, useCache);
  const cache = versionCacheOf(cls, base);
  if (useCache && cache.has(absPath)) return cache.get(absPath) ?? null;
  let version: string | null;
  try {
    version = (await hashContent(cls.getContent(absPath))) || null;
  } catch (error) {
    version = couldNotOpen(absPath, error);
  }
  if (useCache) cache.set(absPath, version);
  return version;
}
