/**
 * multipart/form-data bodies (RFC 7578), split the way Tornado splits them, and HTTPFile.
 *
 * Algorithm (Tornado's): the body up to the last `--boundary--` is split on `--boundary\r\n`;
 * each non-empty part has headers, an empty line, and a value ending in CRLF. Every search is a
 * `Buffer.indexOf`/`lastIndexOf`, so the work is linear in the body size.
 */
import { HTTPInputError } from './errors.js';
import { parseHeaderValue } from './header-value.js';
import { HTTPHeaders } from './http-headers.js';
import { type ArgumentsMap, addArguments } from './query-string.js';

/**
 * A file uploaded through a `multipart/form-data` form.
 *
 * @see Tornado `tornado.httputil.HTTPFile`
 */
export class HTTPFile {
  /** The file name the client gave (decoded from `filename*` when present). */
  readonly filename: string;
  /** The file's bytes. */
  readonly body: Buffer;
  /** The part's Content-Type, `application/unknown` when it had none. */
  readonly contentType: string;

  constructor(filename: string, body: Buffer, contentType: string) {
    this.filename = filename;
    this.body = body;
    this.contentType = contentType;
  }
}

/** Uploaded files by form field name: what `HTTPServerRequest.files` holds. No prototype. */
export type FilesMap = Record<string, HTTPFile[]>;

/** An empty {@link FilesMap} (no prototype). */
export function emptyFiles(): FilesMap {
  return Object.create(null) as FilesMap;
}

const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function toBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function invalid(message: string): never {
  throw new HTTPInputError(message, { rule: 'multipart' });
}

function partHeaders(bytes: Buffer): HTTPHeaders {
  let text: string;
  try {
    text = utf8Strict.decode(bytes);
  } catch (cause) {
    throw new HTTPInputError('Invalid multipart/form-data: part headers are not UTF-8', {
      rule: 'multipart',
      cause,
    });
  }
  try {
    return HTTPHeaders.parse(text);
  } catch (cause) {
    throw new HTTPInputError(`Invalid multipart/form-data: ${(cause as Error).message}`, {
      rule: 'multipart',
      cause,
    });
  }
}

/**
 * Parses a `multipart/form-data` body, adding plain fields to `args` and uploads to `files`
 * (values are views of `data`). `boundary` may be quoted. Throws {@link HTTPInputError} (400)
 * for a body without a final boundary, a part without headers, a disposition other than
 * `form-data`, a value not ending in CRLF, or a part without a name; nothing is added then
 * beyond the parts before the bad one.
 *
 * @see Tornado `tornado.httputil.parse_multipart_form_data`
 */
export function parseMultipartFormData(
  boundary: string | Uint8Array,
  data: Uint8Array,
  args: ArgumentsMap,
  files: FilesMap,
): void {
  let b = typeof boundary === 'string' ? Buffer.from(boundary, 'utf8') : toBuffer(boundary);
  // RFC 2046 allows a quoted boundary in the header; some clients use it.
  if (b.length >= 2 && b[0] === 0x22 && b[b.length - 1] === 0x22) b = b.subarray(1, -1);
  const body = toBuffer(data);
  const finalBoundary = Buffer.concat([Buffer.from('--'), b, Buffer.from('--')]);
  const finalIndex = body.lastIndexOf(finalBoundary);
  if (finalIndex === -1) invalid('Invalid multipart/form-data: no final boundary found');
  const delimiter = Buffer.concat([Buffer.from('--'), b, CRLF]);
  const parsed: { name: string; file?: HTTPFile; value?: Buffer }[] = [];
  let start = 0;
  while (start <= finalIndex) {
    let end = body.indexOf(delimiter, start);
    if (end === -1 || end + delimiter.length > finalIndex) end = finalIndex;
    if (end > start) parsed.push(parsePart(body.subarray(start, end)));
    start = end + delimiter.length;
  }
  // Only add once every part parsed, so a bad body leaves args and files untouched.
  for (const part of parsed) {
    if (part.file !== undefined) {
      const list = files[part.name];
      if (list === undefined) files[part.name] = [part.file];
      else list.push(part.file);
    } else {
      addArguments(args, part.name, [part.value!]);
    }
  }
}

function parsePart(part: Buffer): { name: string; file?: HTTPFile; value?: Buffer } {
  const eoh = part.indexOf(CRLFCRLF);
  if (eoh === -1) invalid('multipart/form-data missing headers');
  const headers = partHeaders(part.subarray(0, eoh));
  const [disposition, params] = parseHeaderValue(headers.get('Content-Disposition', ''));
  if (
    disposition !== 'form-data' ||
    part[part.length - 2] !== 0x0d ||
    part[part.length - 1] !== 0x0a
  ) {
    invalid('Invalid multipart/form-data');
  }
  // The CRLF that ends the value may be the one that ended the headers (an empty value).
  const value = part.subarray(eoh + 4, Math.max(eoh + 4, part.length - 2));
  const name = params.name;
  if (!name) invalid('multipart/form-data missing name');
  const filename = params.filename;
  if (filename) {
    const contentType = headers.get('Content-Type', 'application/unknown');
    return { name, file: new HTTPFile(filename, value, contentType) };
  }
  return { name, value };
}
