// Digest authentication (RFC 7616) against a node:http server that checks the answer, and the
// computation itself against RFC 7616's worked example.
import { createHash } from 'node:crypto';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestAuthorization, parseDigestChallenge } from '../src/digest-auth.js';
import { cleanup, newClient, nodeServe } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('digest authentication', () => {
  it('computes RFC 7616 section 3.9.1 example (SHA-256)', () => {
    const challenge = parseDigestChallenge(
      'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    )!;
    const header = digestAuthorization(challenge, {
      method: 'GET',
      uri: '/dir/index.html',
      username: 'Mufasa',
      password: 'Circle of Life',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      nc: 1,
    });
    expect(header).toContain(
      'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"',
    );
    expect(header).toContain('nc=00000001');
  });

  it('answers the 401 challenge once and gets in', async () => {
    let attempts = 0;
    const { url } = await nodeServe((req, res) => {
      attempts += 1;
      const auth = req.headers.authorization ?? '';
      const params = parseDigestChallenge(auth);
      if (params !== undefined) {
        const ha1 = md5(`${params.username}:test:secret`);
        const ha2 = md5(`${req.method}:${params.uri}`);
        const expected = md5(`${ha1}:${params.nonce}:${params.nc}:${params.cnonce}:auth:${ha2}`);
        if (params.response === expected && params.uri === req.url) {
          res.end(`welcome ${params.username}`);
          return;
        }
      }
      res
        .writeHead(401, {
          'WWW-Authenticate': 'Digest realm="test", qop="auth", nonce="abc123", opaque="xyz"',
        })
        .end('no');
    });
    const client = newClient();
    const response = await client.fetch(`${url}/digest?q=1`, {
      authUsername: 'foo',
      authPassword: 'secret',
      authMode: 'digest',
    });
    expect(response.text).toBe('welcome foo');
    expect(attempts).toBe(2);
    const wrong = await client.fetch(`${url}/digest`, {
      authUsername: 'foo',
      authPassword: 'wrong',
      authMode: 'digest',
      raiseError: false,
    });
    expect([wrong.code, wrong.text]).toEqual([401, 'no']);
    expect(attempts).toBe(4);
  });
});
