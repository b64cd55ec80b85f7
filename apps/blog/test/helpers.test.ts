import { describe, expect, it } from 'vitest';
import { localNext } from '../src/auth-handlers.js';
import { DEFAULT_DB, DEFAULT_PORT, parseOptions } from '../src/options.js';
import { hashPassword, verifyPassword } from '../src/password.js';
import { slugify } from '../src/slug.js';
import { textToHtml } from '../src/text-to-html.js';

describe('slugify', () => {
  it('makes lower-case ASCII words joined by dashes', () => {
    expect(slugify('Hello, World!')).toBe('hello-world');
    expect(slugify('  Déjà vu: ça  marche ')).toBe('deja-vu-ca-marche');
    expect(slugify('¿¡!?')).toBe('entry');
    expect(slugify('x'.repeat(150))).toHaveLength(100);
  });
});

describe('textToHtml', () => {
  it('makes paragraphs and line breaks, escapes markup and links addresses', () => {
    expect(textToHtml('one\r\ntwo\n\n\n<three> & four\n \n')).toBe(
      '<p>one<br>\ntwo</p>\n<p>&lt;three&gt; &amp; four</p>',
    );
    expect(textToHtml('see http://example.org')).toBe(
      '<p>see <a href="http://example.org">http://example.org</a></p>',
    );
  });
});

describe('password hashes', () => {
  it('record the scrypt parameters and a random salt, and verify only the right password', () => {
    const a = hashPassword('secret password', 1024);
    const b = hashPassword('secret password', 1024);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(verifyPassword('secret password', a)).toBe(true);
    expect(verifyPassword('Secret password', a)).toBe(false);
    expect(verifyPassword('secret password', 'plain text')).toBe(false);
  });
});

describe('localNext', () => {
  it('keeps paths on this site and sends everything else home', () => {
    expect(localNext('/compose?id=2')).toBe('/compose?id=2');
    for (const next of ['//evil.example', '/\\evil.example', 'https://evil.example', 'x']) {
      expect(localNext(next)).toBe('/');
    }
  });
});

describe('command-line options', () => {
  it('serves on 8891 by default, --port or PORT otherwise, with the database file of the app', () => {
    expect(DEFAULT_PORT).toBe(8891);
    expect(parseOptions([], {})).toMatchObject({ command: 'serve', port: 8891, db: DEFAULT_DB });
    expect(parseOptions(['--port', '9000'], { PORT: '7000' })).toMatchObject({ port: 9000 });
    expect(parseOptions([], { PORT: '7000' })).toMatchObject({ port: 7000 });
    expect(() => parseOptions(['--port', 'x'], {})).toThrow(/whole number/);
    expect(DEFAULT_DB).toMatch(/apps[/\\]blog[/\\]blog\.sqlite$/);
  });

  it('takes --db :memory:, --debug and the cookie secret', () => {
    expect(parseOptions(['--db', ':memory:', '--debug'], { COOKIE_SECRET: 's' })).toMatchObject({
      db: null,
      debug: true,
      cookieSecret: 's',
    });
    expect(parseOptions(['--db', '/tmp/x.sqlite'], {})).toMatchObject({ db: '/tmp/x.sqlite' });
  });

  it('--create-user needs a name and a password of 8 characters or more', () => {
    expect(
      parseOptions(['--create-user', '--name', 'ada', '--password', 'long enough'], {}),
    ).toEqual({ command: 'create-user', db: DEFAULT_DB, name: 'ada', password: 'long enough' });
    expect(
      parseOptions(['--create-user', '--name', 'ada'], { BLOG_PASSWORD: 'from the env' }),
    ).toMatchObject({ password: 'from the env' });
    expect(() => parseOptions(['--create-user', '--name', 'ada'], {})).toThrow(/--password/);
    expect(() => parseOptions(['--create-user', '--password', 'long enough'], {})).toThrow(
      /--name/,
    );
    expect(() =>
      parseOptions(['--create-user', '--name', 'ada', '--password', 'short'], {}),
    ).toThrow(/at least 8/);
  });
});
