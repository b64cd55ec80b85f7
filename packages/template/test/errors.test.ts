// The error classes: stable codes, and instanceof across copies of the package.
import { describe, expect, it } from 'vitest';
import {
  ParseError,
  TemplateError,
  TemplateNotFoundError,
  TemplatePathError,
} from '../src/index.js';

/** An object shaped like an error from another installed copy of the package. */
function foreign(code: string): object {
  const error = new Error('from another copy');
  Object.defineProperty(error, Symbol.for('@tronada/template.error'), { value: true });
  return Object.assign(error, { code });
}

describe('errors', () => {
  it('have stable codes', () => {
    expect(new ParseError('x', 'a', 1).code).toBe('ERR_TEMPLATE_PARSE');
    expect(new TemplateNotFoundError('a', 'b').code).toBe('ERR_TEMPLATE_NOT_FOUND');
    expect(new TemplatePathError('a', '/r').code).toBe('ERR_TEMPLATE_PATH');
    expect(ParseError.code).toBe('ERR_TEMPLATE_PARSE');
  });

  it('say what to do', () => {
    expect(new TemplatePathError('../x', '/root').message).toBe(
      'Template name "../x" resolves outside the loader root /root; use a path inside the root directory',
    );
    expect(new TemplateNotFoundError('x.html', '/root').message).toBe(
      'Template "x.html" not found in /root',
    );
  });

  it('match instanceof for errors branded by another copy of the package, by code', () => {
    const parse = foreign('ERR_TEMPLATE_PARSE');
    expect(parse).toBeInstanceOf(ParseError);
    expect(parse).toBeInstanceOf(TemplateError);
    expect(parse).not.toBeInstanceOf(TemplatePathError);
    expect(new Error('plain')).not.toBeInstanceOf(TemplateError);
    expect({ code: 'ERR_TEMPLATE_PARSE' }).not.toBeInstanceOf(ParseError);
    expect(null).not.toBeInstanceOf(TemplateError);
  });

  it('are ordinary instances of their own classes', () => {
    const error = new TemplateNotFoundError('x', 'DictLoader', { cause: 1 });
    expect(error).toBeInstanceOf(TemplateNotFoundError);
    expect(error).toBeInstanceOf(TemplateError);
    expect(error).not.toBeInstanceOf(ParseError);
    expect(error.cause).toBe(1);
    expect(error.name).toBe('TemplateNotFoundError');
  });
});
