// Loader (files), DictLoader and BaseLoader behaviour, including Tornado's TemplateLoaderTest.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BaseLoader,
  DictLoader,
  Loader,
  ParseError,
  Template,
  TemplateNotFoundError,
  TemplatePathError,
} from '../src/index.js';
import { thrown } from './helpers.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'templates');

describe('Loader', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'tronada-template-'));
    mkdirSync(join(root, 'pages', 'parts'), { recursive: true });
    writeFileSync(join(root, 'base.html'), '<h1>{% block title %}base{% end %}</h1>');
    writeFileSync(join(root, 'row.html'), 'root row');
    writeFileSync(join(root, 'pages', 'row.html'), 'pages row {{ n }}');
    writeFileSync(
      join(root, 'pages', 'home.html'),
      '{% extends "../base.html" %}{% block title %}{% include "row.html" %}{% end %}',
    );
    writeFileSync(join(root, 'pages', 'parts', 'up.html'), '{% include "../../row.html" %}');
    writeFileSync(join(root, 'pages', 'escape.html'), '{% include "../../outside.html" %}');
    writeFileSync(join(root, 'pages', 'rootrel.html'), '{% include "base.html" %}');
    writeFileSync(join(root, 'broken.html'), '{% if x %}');
    writeFileSync(join(root, 'bad-utf8.html'), new Uint8Array([0x61, 0xff]));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('reads UTF-8 files (test_utf8_in_file)', () => {
    const loader = new Loader(fixtures);
    expect(loader.load('utf8.html').generate().trim()).toBe('H\u00e9llo');
  });

  it('resolves names relative to the including template, then to the root', () => {
    const loader = new Loader(root);
    expect(loader.load('pages/home.html').generate({ n: 1 })).toBe('<h1>pages row 1</h1>');
    expect(loader.load('pages/parts/up.html').generate()).toBe('root row');
    expect(loader.resolvePath('row.html', 'pages/home.html')).toBe('pages/row.html');
    expect(loader.resolvePath('./x/../row.html')).toBe('row.html');
    // Not found next to the parent is not a fallback: the name relative to the parent wins.
    expect(loader.resolvePath('base.html', 'pages/rootrel.html')).toBe('pages/base.html');
  });

  it('accepts an absolute path inside the root', () => {
    const loader = new Loader(root);
    expect(loader.resolvePath(join(root, 'pages', 'row.html'))).toBe('pages/row.html');
  });

  it('refuses names that resolve outside the root', () => {
    const loader = new Loader(join(root, 'pages'));
    for (const name of ['../base.html', '/etc/passwd', '..', '.', 'a/../../base.html']) {
      const error = thrown(() => loader.load(name));
      expect(error, name).toBeInstanceOf(TemplatePathError);
      expect((error as TemplatePathError).code).toBe('ERR_TEMPLATE_PATH');
    }
    // A relative include that climbs out of the root is refused as well.
    const error = thrown(() => new Loader(root).load('pages/escape.html'));
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).cause).toBeInstanceOf(TemplatePathError);
    expect((error as ParseError).message).toMatch(/at pages\/escape\.html:1$/);
  });

  it('reports a missing file as TemplateNotFoundError', () => {
    const error = thrown(() => new Loader(root).load('missing.html'));
    expect(error).toBeInstanceOf(TemplateNotFoundError);
    expect((error as TemplateNotFoundError).templateName).toBe('missing.html');
    expect((error as Error).cause).toMatchObject({ code: 'ENOENT' });
    expect(thrown(() => new Loader(root).load('pages'))).toBeInstanceOf(TemplateNotFoundError);
  });

  it('reports syntax errors and invalid UTF-8 when loading', () => {
    expect((thrown(() => new Loader(root).load('broken.html')) as Error).message).toBe(
      'Missing {% end %} block for if at broken.html:1',
    );
    const error = thrown(() => new Loader(root).load('bad-utf8.html'));
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toBe(
      'Template source is not valid UTF-8 at bad-utf8.html:0',
    );
    expect((error as ParseError).cause).toBeInstanceOf(TypeError);
  });

  it('caches compiled templates until reset()', () => {
    const loader = new Loader(root);
    const first = loader.load('row.html');
    expect(loader.load('row.html')).toBe(first);
    expect(loader.load('./row.html')).toBe(first);
    writeFileSync(join(root, 'row.html'), 'changed row');
    expect(loader.load('row.html').generate()).toBe('root row');
    loader.reset();
    const second = loader.load('row.html');
    expect(second).not.toBe(first);
    expect(second.generate()).toBe('changed row');
    writeFileSync(join(root, 'row.html'), 'root row');
  });
});

describe('DictLoader', () => {
  it('reports a missing name as TemplateNotFoundError, including inherited keys', () => {
    const loader = new DictLoader({ 'a.html': 'a' });
    for (const name of ['b.html', 'constructor', '__proto__']) {
      expect(thrown(() => loader.load(name))).toBeInstanceOf(TemplateNotFoundError);
    }
  });

  it('names the directive when an include is missing', () => {
    const loader = new DictLoader({ 'a.html': 'x\n{% include "nope.html" %}' });
    const error = thrown(() => loader.load('a.html')) as ParseError;
    expect(error).toBeInstanceOf(ParseError);
    expect(error.message).toBe(
      '{% include "nope.html" %} failed: Template "nope.html" not found in DictLoader at a.html:2',
    );
    expect(error.cause).toBeInstanceOf(TemplateNotFoundError);
  });

  it('ignores the parent of <string> templates and absolute names', () => {
    const loader = new DictLoader({});
    expect(loader.resolvePath('x.html', '<string>')).toBe('x.html');
    expect(loader.resolvePath('/x.html', 'a/b.html')).toBe('/x.html');
    expect(loader.resolvePath('x.html', '/a/b.html')).toBe('x.html');
    expect(loader.resolvePath('./c/../x.html', 'a/b.html')).toBe('a/x.html');
  });

  it('reports include and extends cycles instead of recursing', () => {
    const loader = new DictLoader({
      'a.html': '{% include "b.html" %}',
      'b.html': 'line 1\n{% include "a.html" %}',
      'self.html': '{% extends "self.html" %}',
    });
    const error = thrown(() => loader.load('a.html')) as ParseError;
    expect(error).toBeInstanceOf(ParseError);
    expect(error.message).toBe(
      '{% include "a.html" %} failed: Template cycle: a.html -> b.html -> a.html at b.html:2',
    );
    expect((thrown(() => loader.load('self.html')) as Error).message).toMatch(
      /Template cycle: self\.html -> self\.html at self\.html:1$/,
    );
  });

  it('uses the loader settings for the templates it creates', () => {
    const loader = new DictLoader(
      { 'a.txt': '{{ x }} {{ greet }}' },
      { autoescape: null, namespace: { greet: 'hi' } },
    );
    const template = loader.load('a.txt');
    expect(template.loader).toBe(loader);
    expect(template.autoescape).toBeNull();
    expect(template.namespace).toEqual({ greet: 'hi' });
    expect(template.generate({ x: '<b>' })).toBe('<b> hi');
  });

  it('validates the whitespace option', () => {
    expect(() => new DictLoader({}, { whitespace: 'none' as 'all' })).toThrow(RangeError);
  });
});

describe('BaseLoader', () => {
  it('can be extended with a custom source of templates', () => {
    class UpperLoader extends BaseLoader {
      loads: string[] = [];
      resolvePath(name: string): string {
        return name.toLowerCase();
      }
      protected createTemplate(name: string): Template {
        this.loads.push(name);
        return new Template(`{{ "${name}".toUpperCase() }}`, { name, loader: this });
      }
    }
    const loader = new UpperLoader();
    expect(loader.load('Hello').generate()).toBe('HELLO');
    expect(loader.load('HELLO').generate()).toBe('HELLO');
    expect(loader.loads).toEqual(['hello']);
  });

  it('rejects templates a custom loader did not build with Template', () => {
    class FakeLoader extends BaseLoader {
      resolvePath(name: string): string {
        return name;
      }
      protected createTemplate(): Template {
        return Object.create(Template.prototype) as Template;
      }
    }
    expect(() => new Template('{% include "x" %}', { loader: new FakeLoader() })).toThrow(
      /not a Template of @tronada\/template/,
    );
  });
});
