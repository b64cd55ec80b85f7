import { createHash } from 'node:crypto';
import { HTTPHeaders } from '@tronada/httputil';
import { describe, expect, it } from 'vitest';
import {
  checkHandshakeRequest,
  computeAcceptKey,
  generateKey,
  type HandshakeRejected,
  isSameOrigin,
  isValidKey,
} from '../src/index.js';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

function request(extra: Record<string, string | undefined> = {}): HTTPHeaders {
  const base: Record<string, string | undefined> = {
    Host: '127.0.0.1:8888',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': KEY,
    ...extra,
  };
  const headers = new HTTPHeaders();
  for (const [name, value] of Object.entries(base))
    if (value !== undefined) headers.add(name, value);
  return headers;
}

function rejected(headers: HTTPHeaders, options = {}): HandshakeRejected {
  const result = checkHandshakeRequest(headers, options);
  if (result.ok) throw new Error('expected a rejection');
  return result;
}

describe('computeAcceptKey and generateKey', () => {
  it('computes the accept value of RFC 6455 §1.3', () => {
    expect(computeAcceptKey(KEY)).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('hashes a key that is not ASCII as UTF-8, as Tornado does', () => {
    const guid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
    expect(computeAcceptKey('clé')).toBe(
      createHash('sha1')
        .update(Buffer.from(`clé${guid}`, 'utf8'))
        .digest('base64'),
    );
  });

  it('generates valid keys from 16 random bytes', () => {
    const key = generateKey();
    expect(isValidKey(key)).toBe(true);
    expect(generateKey()).not.toBe(key);
    expect(generateKey(() => Buffer.from('the sample nonce'))).toBe(KEY);
    expect(() => generateKey(() => new Uint8Array(15))).toThrow(RangeError);
  });

  it('accepts only base64 of exactly 16 bytes as a key', () => {
    expect(isValidKey(KEY)).toBe(true);
    expect(isValidKey('dGhlIHNhbXBsZSBub25jZQ')).toBe(false);
    expect(isValidKey('dGhlIHNhbXBsZSBub25jZR==')).toBe(false);
    expect(isValidKey('c2hvcnQ=')).toBe(false);
    expect(isValidKey('')).toBe(false);
  });
});

describe('checkHandshakeRequest', () => {
  it('accepts a valid upgrade and returns what the 101 response needs', () => {
    const result = checkHandshakeRequest(
      request({
        Connection: 'keep-alive, Upgrade',
        Upgrade: 'WebSocket',
        'Sec-WebSocket-Protocol': 'chat, superchat',
        'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits, x-other',
        Origin: 'http://127.0.0.1:8888',
      }),
    );
    expect(result).toEqual({
      ok: true,
      key: KEY,
      accept: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
      origin: 'http://127.0.0.1:8888',
      subprotocols: ['chat', 'superchat'],
      extensions: [
        { name: 'permessage-deflate', params: [['client_max_window_bits', undefined]] },
        { name: 'x-other', params: [] },
      ],
    });
  });

  // Tornado's test_http_request: a plain GET to a websocket handler.
  it('answers a request without Upgrade with 400', () => {
    const headers = new HTTPHeaders();
    headers.add('Host', 'h');
    expect(rejected(headers)).toEqual({
      ok: false,
      status: 400,
      reason: 'Can "Upgrade" only to "WebSocket".',
      headers: {},
    });
    expect(rejected(request({ Upgrade: 'h2c' })).status).toBe(400);
  });

  it('answers a Connection without upgrade with 400', () => {
    expect(rejected(request({ Connection: 'keep-alive' })).reason).toBe(
      '"Connection" must be "Upgrade".',
    );
  });

  it('finds upgrade and websocket in any case, among other elements, with spaces around', () => {
    for (const [connection, upgrade] of [
      [' keep-alive ,\tUPGRADE\t', 'h2c, WEBSOCKET '],
      [',,upgrade,', 'websocket,'],
    ] as const) {
      expect(checkHandshakeRequest(request({ Connection: connection, Upgrade: upgrade })).ok).toBe(
        true,
      );
    }
    // Near misses are not the element asked for.
    expect(rejected(request({ Connection: 'upgrades' })).status).toBe(400);
    expect(rejected(request({ Connection: 'up grade' })).status).toBe(400);
    expect(rejected(request({ Upgrade: 'websocket2, h2c' })).status).toBe(400);
    expect(rejected(request({ Upgrade: '' })).status).toBe(400);
  });

  it('answers a rejected origin with 403 before looking at the version', () => {
    const result = rejected(
      request({ Origin: 'http://evil.example', 'Sec-WebSocket-Version': '12' }),
    );
    expect(result.status).toBe(403);
    expect(result.reason).toBe('Cross origin websockets not allowed');
  });

  it('uses Sec-WebSocket-Origin when there is no Origin, and checkOrigin when given', () => {
    expect(rejected(request({ 'Sec-WebSocket-Origin': 'http://evil.example' })).status).toBe(403);
    const seen: string[] = [];
    const result = checkHandshakeRequest(request({ Origin: 'http://evil.example' }), {
      checkOrigin: (o) => {
        seen.push(o);
        return true;
      },
    });
    expect(result.ok).toBe(true);
    expect(seen).toEqual(['http://evil.example']);
  });

  // Tornado's test_bad_websocket_version (and RFC 6455 §4.4).
  it('answers an unsupported version with 426 and Sec-WebSocket-Version: 13', () => {
    for (const version of ['12', '8', undefined]) {
      expect(rejected(request({ 'Sec-WebSocket-Version': version }))).toEqual({
        ok: false,
        status: 426,
        reason: 'Upgrade Required',
        headers: { 'Sec-WebSocket-Version': '13' },
      });
    }
  });

  // Tornado's test_missing_websocket_key.
  it('answers a missing or invalid key, or a missing Host, with 400', () => {
    for (const extra of [
      { 'Sec-WebSocket-Key': undefined },
      { 'Sec-WebSocket-Key': 'abc' },
      { Host: undefined },
    ]) {
      expect(rejected(request(extra))).toEqual({
        ok: false,
        status: 400,
        reason: 'Missing/Invalid WebSocket headers',
        headers: {},
      });
    }
  });

  it('answers a malformed Sec-WebSocket-Extensions with 400', () => {
    expect(
      rejected(request({ 'Sec-WebSocket-Extensions': 'permessage-deflate; a="b' })).status,
    ).toBe(400);
    expect(rejected(request({ 'Sec-WebSocket-Extensions': 'bad name' })).status).toBe(400);
  });
});

describe('isSameOrigin (Tornado check_origin)', () => {
  const host = '127.0.0.1:8888';
  it('accepts the same host and port, with or without a path (test_check_origin_valid_*)', () => {
    expect(isSameOrigin('http://127.0.0.1:8888', host)).toBe(true);
    expect(isSameOrigin('http://127.0.0.1:8888/something', host)).toBe(true);
    expect(isSameOrigin('HTTPS://127.0.0.1:8888', host)).toBe(true);
  });

  it('rejects an origin without a scheme (test_check_origin_invalid_partial_url)', () => {
    expect(isSameOrigin('127.0.0.1:8888', host)).toBe(false);
  });

  it('rejects another host (test_check_origin_invalid) and subdomains (test_check_origin_invalid_subdomains)', () => {
    expect(isSameOrigin('http://somewhereelse.com', host)).toBe(false);
    expect(isSameOrigin('http://subtenant.localhost', 'localhost:8888')).toBe(false);
    expect(isSameOrigin('http://127.0.0.1:9999', host)).toBe(false);
    expect(isSameOrigin('null', host)).toBe(false);
    expect(isSameOrigin('http://127.0.0.1:8888', undefined)).toBe(false);
  });
});
