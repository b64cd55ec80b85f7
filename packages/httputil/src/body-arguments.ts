/**
 * parseBodyArguments: form bodies (`application/x-www-form-urlencoded` and
 * `multipart/form-data`) into arguments and files.
 */
import { HTTPInputError } from './errors.js';
import type { HTTPHeaders } from './http-headers.js';
import { type FilesMap, parseMultipartFormData } from './multipart.js';
import { type ArgumentsMap, addArguments, parseQsBytes } from './query-string.js';

function rejectEncoded(headers: HTTPHeaders | undefined): void {
  const encoding = headers?.get('Content-Encoding');
  if (encoding !== undefined) {
    throw new HTTPInputError(
      `Unsupported Content-Encoding: ${encoding}; decompress the body first (decompressRequest)`,
      { rule: 'form-body' },
    );
  }
}

/**
 * Parses a form body into `args` and `files` (both updated in place). Understands
 * `application/x-www-form-urlencoded` (values kept as bytes, blank values kept) and
 * `multipart/form-data` (the `boundary` parameter may be quoted); any other content type is
 * ignored. A body that is still Content-Encoded, or a malformed multipart body, is an
 * {@link HTTPInputError} (400) with a message saying what was wrong; nothing else is thrown.
 *
 * @see Tornado `tornado.httputil.parse_body_arguments`
 */
export function parseBodyArguments(
  contentType: string,
  body: Uint8Array,
  args: ArgumentsMap,
  files: FilesMap,
  headers?: HTTPHeaders,
): void {
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    rejectEncoded(headers);
    const parsed = parseQsBytes(body, { keepBlankValues: true });
    for (const name of Object.keys(parsed)) {
      const values = parsed[name]!;
      if (values.length > 0) addArguments(args, name, values);
    }
  } else if (contentType.startsWith('multipart/form-data')) {
    rejectEncoded(headers);
    for (const field of contentType.split(';')) {
      const trimmed = field.trim();
      const eq = trimmed.indexOf('=');
      if (eq !== -1 && trimmed.slice(0, eq) === 'boundary' && eq < trimmed.length - 1) {
        try {
          parseMultipartFormData(trimmed.slice(eq + 1), body, args, files);
        } catch (cause) {
          throw new HTTPInputError(`Invalid multipart/form-data: ${(cause as Error).message}`, {
            rule: 'multipart',
            cause,
          });
        }
        return;
      }
    }
    throw new HTTPInputError('Invalid multipart/form-data: multipart boundary not found', {
      rule: 'multipart',
    });
  }
}
