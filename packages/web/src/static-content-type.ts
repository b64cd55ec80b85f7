/**
 * The `Content-Type` of a static file, guessed from its name.
 */
import { extname } from 'node:path';
import { lookup } from 'mime-types';

// Extensions that name a compression (a content *encoding*) rather than a type, and the short
// forms that stand for a type plus a compression (`.tgz` is `.tar.gz`), as Python's mimetypes.
const ENCODING_EXTENSIONS: Readonly<Record<string, string>> = {
  '.gz': 'gzip',
  '.z': 'compress',
  '.bz2': 'bzip2',
  '.xz': 'xz',
  '.br': 'br',
  '.tgz': 'gzip',
  '.taz': 'gzip',
  '.tz': 'gzip',
  '.svgz': 'gzip',
  '.tbz2': 'bzip2',
  '.txz': 'xz',
};

/**
 * The media type to serve the file at `path` with. A gzip-compressed file is
 * `application/gzip` (RFC 6713), any other compressed file `application/octet-stream` (no
 * registered type says what is inside); otherwise the type the `mime-types` database gives for
 * the extension, or `application/octet-stream` when it has none.
 *
 * @see Tornado `StaticFileHandler.get_content_type`
 */
export function staticContentType(path: string): string {
  const encoding = ENCODING_EXTENSIONS[extname(path).toLowerCase()];
  if (encoding === 'gzip') return 'application/gzip';
  if (encoding !== undefined) return 'application/octet-stream';
  return lookup(path) || 'application/octet-stream';
}
