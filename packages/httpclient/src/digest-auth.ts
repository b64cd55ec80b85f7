/**
 * HTTP Digest authentication (RFC 7616, with RFC 2069 servers that send no `qop`): parses a
 * `WWW-Authenticate: Digest` challenge and computes the `Authorization` answer.
 */
import { createHash, randomBytes } from 'node:crypto';

/** The parameters of a Digest challenge. */
export type DigestChallenge = Readonly<Record<string, string>>;

/** Parses the first Digest challenge in a `WWW-Authenticate` value, or undefined. */
export function parseDigestChallenge(header: string): DigestChallenge | undefined {
  const at = header.search(/(^|[\s,])Digest\s/i);
  if (at === -1) return undefined;
  const rest = header.slice(header.toLowerCase().indexOf('digest', at) + 6);
  const params: Record<string, string> = {};
  const re = /\s*,?\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/gy;
  for (let m = re.exec(rest); m !== null; m = re.exec(rest)) {
    params[m[1]!.toLowerCase()] = m[2] === undefined ? m[3]! : m[2].replace(/\\(.)/g, '$1');
  }
  return params.nonce === undefined ? undefined : params;
}

function hashFor(algorithm: string): (text: string) => string {
  const name = algorithm.toUpperCase().startsWith('SHA-256') ? 'sha256' : 'md5';
  return (text) => createHash(name).update(text, 'utf8').digest('hex');
}

/** What the answer to a challenge depends on. */
export interface DigestRequest {
  readonly method: string;
  readonly uri: string;
  readonly username: string;
  readonly password: string;
  /** The client nonce (random when not given; tests fix it). */
  readonly cnonce?: string | undefined;
  /** The nonce count, 1 for the first answer to a nonce. */
  readonly nc?: number | undefined;
}

/**
 * The `Authorization` value answering `challenge` (MD5 or SHA-256, `qop=auth` when offered).
 *
 * @see Tornado `tornado.auth` digest helpers and curl's `CURLAUTH_DIGEST`
 */
export function digestAuthorization(challenge: DigestChallenge, request: DigestRequest): string {
  const algorithm = challenge.algorithm ?? 'MD5';
  const hash = hashFor(algorithm);
  const realm = challenge.realm ?? '';
  const nonce = challenge.nonce ?? '';
  const cnonce = request.cnonce ?? randomBytes(8).toString('hex');
  const nc = (request.nc ?? 1).toString(16).padStart(8, '0');
  let ha1 = hash(`${request.username}:${realm}:${request.password}`);
  if (algorithm.toLowerCase().endsWith('-sess')) ha1 = hash(`${ha1}:${nonce}:${cnonce}`);
  const ha2 = hash(`${request.method}:${request.uri}`);
  const qops = (challenge.qop ?? '').split(',').map((q) => q.trim());
  const qop = qops.includes('auth') ? 'auth' : undefined;
  const response =
    qop === undefined
      ? hash(`${ha1}:${nonce}:${ha2}`)
      : hash(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
  const quote = (s: string) => `"${s.replace(/(["\\])/g, '\\$1')}"`;
  const parts = [
    `username=${quote(request.username)}`,
    `realm=${quote(realm)}`,
    `nonce=${quote(nonce)}`,
    `uri=${quote(request.uri)}`,
    `algorithm=${algorithm}`,
    `response=${quote(response)}`,
  ];
  if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
  if (qop !== undefined) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  return `Digest ${parts.join(', ')}`;
}
