/**
 * The header names most requests and responses carry, matched in place in the received bytes
 * without allocating a substring (byte loads are much cheaper than `charCodeAt` in V8), so the parser's hot path turns `user-agent` or `User-Agent`
 * straight into the shared string `User-Agent`. Names not in this list go through the
 * normalisation cache instead (see header-name.ts).
 */
import { normalizeHeaderName } from './header-name.js';

const NAMES = [
  'Accept',
  'Accept-Charset',
  'Accept-Encoding',
  'Accept-Language',
  'Accept-Ranges',
  'Access-Control-Request-Headers',
  'Access-Control-Request-Method',
  'Age',
  'Authorization',
  'Cache-Control',
  'Connection',
  'Content-Disposition',
  'Content-Encoding',
  'Content-Length',
  'Content-Type',
  'Cookie',
  'Date',
  'Dnt',
  'Etag',
  'Expect',
  'Expires',
  'Forwarded',
  'Host',
  'If-Match',
  'If-Modified-Since',
  'If-None-Match',
  'If-Range',
  'If-Unmodified-Since',
  'Keep-Alive',
  'Last-Modified',
  'Location',
  'Origin',
  'Pragma',
  'Priority',
  'Range',
  'Referer',
  'Sec-Ch-Ua',
  'Sec-Ch-Ua-Mobile',
  'Sec-Ch-Ua-Platform',
  'Sec-Fetch-Dest',
  'Sec-Fetch-Mode',
  'Sec-Fetch-Site',
  'Sec-Fetch-User',
  'Sec-Websocket-Extensions',
  'Sec-Websocket-Key',
  'Sec-Websocket-Protocol',
  'Sec-Websocket-Version',
  'Server',
  'Set-Cookie',
  'Te',
  'Trailer',
  'Transfer-Encoding',
  'Upgrade',
  'Upgrade-Insecure-Requests',
  'User-Agent',
  'Vary',
  'Via',
  'X-Forwarded-For',
  'X-Forwarded-Host',
  'X-Forwarded-Proto',
  'X-Real-Ip',
  'X-Requested-With',
  'X-Scheme',
];

interface Entry {
  /** The lower-case name, as bytes. */
  readonly lower: Uint8Array;
  /** Tornado's `Http-Header-Case` of it. */
  readonly normalized: string;
}

const byLength: Entry[][] = [];
for (const name of NAMES) {
  const lower = name.toLowerCase();
  const bucket = byLength[lower.length] ?? [];
  // The literal itself when it is already normalised: literals are internalised strings, which
  // V8 compares by identity.
  const normalized = normalizeHeaderName(lower) === name ? name : normalizeHeaderName(lower);
  bucket.push({ lower: Buffer.from(lower, 'latin1'), normalized });
  byLength[lower.length] = bucket;
}

/**
 * The normalised name when `bytes[start, end)` is one of the common header names in any letter
 * case, else `undefined`. Only letters compare case-insensitively; every other byte must be
 * equal, so a match is always a valid token.
 */
export function knownHeaderName(bytes: Uint8Array, start: number, end: number): string | undefined {
  const bucket = byLength[end - start];
  if (bucket === undefined) return undefined;
  for (let k = 0; k < bucket.length; k++) {
    const entry = bucket[k]!;
    const lower = entry.lower;
    // From the end: names of one length differ there most (Sec-Fetch-Dest, -Mode, -Site).
    let i = lower.length - 1;
    for (; i >= 0; i--) {
      const want = lower[i]!;
      const got = bytes[start + i]!;
      // 'a'..'z' also match their capital; other bytes ('-') only themselves.
      if (got !== want && (want < 0x61 || want > 0x7a || got !== want - 0x20)) break;
    }
    if (i < 0) return entry.normalized;
  }
  return undefined;
}
