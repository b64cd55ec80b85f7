/**
 * Keeping static file paths inside their root directory.
 */
import { realpath } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

/**
 * True when `absolutePath` is `root` itself or lies below it, comparing the paths as written
 * (`..` already resolved). The separator is appended to both, so `/srv/static-secret` is not
 * taken to be inside `/srv/static`, and a root of `/` admits every path (some applications use
 * that to do their own checks in `getAbsolutePath`).
 *
 * @see Tornado `StaticFileHandler.validate_absolute_path`
 */
export function isInsideRoot(root: string, absolutePath: string): boolean {
  let prefix = resolve(root);
  if (!prefix.endsWith(sep)) prefix += sep;
  return `${absolutePath}${sep}`.startsWith(prefix);
}

/**
 * True when the file `absolutePath` (which exists), with every symbolic link followed, is still
 * inside `root` with its links followed: a link inside the root that points out of it does not
 * count as inside.
 */
export async function isReallyInsideRoot(root: string, absolutePath: string): Promise<boolean> {
  const [realRoot, realPath] = await Promise.all([
    realpath(resolve(root)).catch(() => resolve(root)),
    realpath(absolutePath),
  ]);
  return isInsideRoot(realRoot, realPath);
}
