// The error classes: stable codes, the data a responder needs, and instanceof across copies.

import { HTTP1Rules, HTTPInputError, HTTPOutputError, InvalidHeaderError } from '@tronada/httputil';
import { TronadaError } from '@tronada/ioloop';
import { describe, expect, it } from 'vitest';

describe('errors', () => {
  it('HTTPInputError carries status and rule, 400 and "malformed" unless given', () => {
    const plain = new HTTPInputError('bad');
    expect([plain.name, plain.code, plain.status, plain.rule, plain.message]).toEqual([
      'HTTPInputError',
      'ERR_HTTP_INPUT',
      400,
      'malformed',
      'bad',
    ]);
    const cause = new Error('inner');
    const sized = new HTTPInputError('too big', { status: 413, rule: 'body-too-large', cause });
    expect([sized.status, sized.rule, sized.cause]).toEqual([413, 'body-too-large', cause]);
    expect(sized).toBeInstanceOf(TronadaError);
  });

  it('builds a rule’s error with its status, message and RFC section', () => {
    const error = HTTPInputError.fromRule('host-missing');
    expect([error.status, error.rule]).toEqual([400, 'host-missing']);
    expect(error.message).toBe(`${HTTP1Rules['host-missing'].message} (RFC 9112 §3.2)`);
    expect(HTTPInputError.fromRule('version-unsupported', 'HTTP/2.0').message).toMatch(
      /: HTTP\/2\.0 \(/,
    );
  });

  it('gives every error class its own stable code', () => {
    expect(new HTTPOutputError('x').code).toBe('ERR_HTTP_OUTPUT');
    expect(new InvalidHeaderError('X', 'm').code).toBe('ERR_INVALID_HEADER');
  });

  it('recognises an HTTPInputError from another copy of the package', () => {
    // What a second installed copy would produce: same name and code, another class object.
    class HTTPInputErrorCopy extends TronadaError {
      readonly code = 'ERR_HTTP_INPUT';
    }
    Object.defineProperty(HTTPInputErrorCopy, 'name', { value: 'HTTPInputError' });
    expect(new HTTPInputErrorCopy('x')).toBeInstanceOf(HTTPInputError);
    expect(new HTTPOutputError('x')).not.toBeInstanceOf(HTTPInputError);
  });
});
