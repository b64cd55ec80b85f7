// Inheritance and includes beyond Tornado's own tests: three levels, includes inside blocks,
// blocks defined in included files, nested blocks.
import { describe, expect, it } from 'vitest';
import { DictLoader, ParseError, Template } from '../src/index.js';
import { frames, renderError, thrown } from './helpers.js';

const layouts = {
  'base.html':
    '<html><head><title>{% block title %}Site{% end %}</title></head>\n' +
    '<body>{% block body %}<nav>{% block nav %}home{% end %}</nav>{% end %}' +
    '<footer>{% block footer %}(c) {{ year }}{% end %}</footer></body></html>',
  'section.html':
    '{% extends "base.html" %}\n' +
    '{% block title %}Section - {{ section }}{% end %}\n' +
    '{% block nav %}home &gt; {{ section }}{% end %}\n' +
    'ignored text outside blocks {{ neverEvaluated() }}\n',
  'page.txt':
    '{% extends "section.html" %}\n' +
    '{% block title %}{{ title }} | {{ section }}{% end %}\n' +
    '{% block footer %}{% include "footer-part.html" %}{% end %}\n',
  'footer-part.html': 'page footer {{ year }}',
};

describe('inheritance', () => {
  it('resolves blocks through three levels, most derived first', () => {
    const loader = new DictLoader(layouts, { whitespace: 'all' });
    const html = loader
      .load('page.txt')
      .generate({ title: 'Intro', section: 'Docs & more', year: 2026 });
    expect(html).toBe(
      '<html><head><title>Intro | Docs &amp; more</title></head>\n' +
        '<body><nav>home &gt; Docs &amp; more</nav><footer>page footer 2026</footer></body></html>',
    );
  });

  it('renders a middle level on its own with its own overrides', () => {
    const loader = new DictLoader(layouts, { whitespace: 'all' });
    expect(loader.load('section.html').generate({ section: 'S', year: 1 })).toBe(
      '<html><head><title>Section - S</title></head>\n' +
        '<body><nav>home &gt; S</nav><footer>(c) 1</footer></body></html>',
    );
  });

  it('lets a child override a block that an included file defines', () => {
    const loader = new DictLoader({
      'base.html': '[{% include "header.html" %}]',
      'header.html': 'header: {% block logo %}default logo{% end %}',
      'page.html': '{% extends "base.html" %}{% block logo %}page logo{% end %}',
    });
    expect(loader.load('page.html').generate()).toBe('[header: page logo]');
    expect(loader.load('base.html').generate()).toBe('[header: default logo]');
  });

  it('lets an override replace a block that contains other blocks', () => {
    const loader = new DictLoader({
      'base.html': '{% block outer %}<{% block inner %}i{% end %}>{% end %}',
      'inner.html': '{% extends "base.html" %}{% block inner %}I{% end %}',
      'outer.html':
        '{% extends "inner.html" %}{% block outer %}[{% block inner %}x{% end %}]{% end %}',
    });
    expect(loader.load('inner.html').generate()).toBe('<I>');
    expect(loader.load('outer.html').generate()).toBe('[x]');
  });

  it('shares variables with included templates in both directions', () => {
    const loader = new DictLoader({
      'main.html': '{% set a = 1 %}{% include "inc.html" %}{{ a }}{{ b }}',
      'inc.html': '{{ a }}{% set a = 2 %}{% set b = 3 %}',
    });
    expect(loader.load('main.html').generate()).toBe('123');
  });

  it('includes templates inside blocks and loops', () => {
    const loader = new DictLoader({
      'base.html': '{% block rows %}{% end %}',
      'page.html':
        '{% extends "base.html" %}{% block rows %}{% for row in rows %}{% include "row.html" %}{% end %}{% end %}',
      'row.html': '<{{ row }}>',
    });
    expect(loader.load('page.html').generate({ rows: ['a', 'b&'] })).toBe('<a><b&amp;>');
  });

  it('reports errors in an include inside a block with the whole chain', () => {
    const loader = new DictLoader({
      'base.html': 'x\n{% block b %}{% end %}',
      'page.html': '{% extends "base.html" %}\n{% block b %}\n\n{% include "inc.html" %}{% end %}',
      'inc.html': 'one\ntwo\n{{ missing.value }}',
    });
    const error = renderError(loader.load('page.html'), { missing: undefined });
    expect(error).toBeInstanceOf(TypeError);
    expect(frames(error)).toEqual(['inc.html:3', 'page.html:4', 'base.html:2']);
  });

  it('rejects extends without a loader, or not at the top level, or twice', () => {
    expect((thrown(() => new Template('\n{% extends "a" %}')) as ParseError).message).toBe(
      '{% extends %} block found, but no template loader at <string>:2',
    );
    expect((thrown(() => new Template('{% include "a" %}')) as ParseError).message).toBe(
      '{% include %} block found, but no template loader at <string>:1',
    );
    const loader = new DictLoader({
      'nested.html': '{% if x %}{% extends "b" %}{% end %}',
      'twice.html': '{% extends "a" %}\n{% extends "b" %}',
      'empty.html': "{% extends '' %}",
    });
    expect((thrown(() => loader.load('nested.html')) as ParseError).detail).toBe(
      '{% extends %} must be at the top level of the template',
    );
    expect((thrown(() => loader.load('twice.html')) as ParseError).message).toBe(
      'Template already extends "a" (line 1) at twice.html:2',
    );
    expect((thrown(() => loader.load('empty.html')) as ParseError).detail).toBe(
      'extends missing file path',
    );
  });

  it('reports a break placed outside its loop by an override', () => {
    const loader = new DictLoader({
      'root.html': '{% block row %}{% end %}{% block page %}{% end %}',
      'middle.html':
        '{% extends "root.html" %}{% block page %}{% for x in [1] %}' +
        '{% block row %}{% break %}{% end %}{% end %}{% end %}',
    });
    const error = thrown(() => loader.load('middle.html')) as ParseError;
    expect(error).toBeInstanceOf(ParseError);
    expect(error.message).toBe('break outside for/while block at middle.html:1');
  });
});
