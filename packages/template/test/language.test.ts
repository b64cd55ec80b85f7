// The template language in detail: JavaScript expressions inside Tornado's tags.
import { describe, expect, it } from 'vitest';
import { Template } from '../src/index.js';
import { frames, renderError } from './helpers.js';

const render = (source: string, namespace: Record<string, unknown> = {}): string =>
  new Template(source).generate(namespace);

describe('output', () => {
  it('converts values as Tornado converts with str()', () => {
    const source = '{{ a }}|{{ b }}|{{ c }}|{{ d }}|{{ e }}|{{ f }}';
    expect(
      render(source, { a: 1.5, b: null, c: undefined, d: true, e: [1, '<'], f: { x: 1 } }),
    ).toBe('1.5|null|undefined|true|1,&lt;|[object Object]');
    expect(render('{% raw x %}', { x: { toString: () => '<i>' } })).toBe('<i>');
    expect(render('{{ s }}', { s: Symbol('k') })).toBe('Symbol(k)');
    expect(render('{{ 10n ** 20n }}')).toBe('100000000000000000000');
  });

  it('keeps template text exactly, whatever characters it has', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ in template text
    const text = 'quotes \' " ` \\ backslash \\n ${x} \u2028 \u2029 \0 </script> é 😀';
    expect(render(text)).toBe(text);
  });

  it('lets the innermost pair of three or more braces open the tag', () => {
    expect(render('{{{ x }}}', { x: 1 })).toBe('{1}');
    expect(render('{{{{ x }}}}', { x: 1 })).toBe('{{1}}');
    expect(render('a { b } {x', { x: 1 })).toBe('a { b } {x');
    expect(render('end {')).toBe('end {');
  });

  it('accepts multi-line expressions and line comments inside them', () => {
    expect(render('{{ a +\n b // the sum\n}}', { a: 1, b: 2 })).toBe('3');
    expect(render('{% if a // yes\n %}y{% end %}', { a: 1 })).toBe('y');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a JavaScript template literal in a template
    expect(render('{{ `${a}-${"}"}` }}', { a: 1 })).toBe('1-}');
  });

  it('autoescapes the result of the named function and converts it to text', () => {
    expect(render('{% autoescape wrap %}{{ x }}', { x: 5, wrap: (s: string) => [`[${s}]`] })).toBe(
      '[5]',
    );
  });

  it('calls the autoescape function by name at each use, so set can replace it', () => {
    const source = '{{ x }}{% set xhtmlEscape = (s) => s.toUpperCase() %}{{ x }}';
    expect(render(source, { x: '<a>' })).toBe('&lt;a&gt;<A>');
    expect(render('{{ x }}', { x: '<a>', xhtmlEscape: () => 'mine' })).toBe('mine');
  });

  it('outputs {% module %} expressions from _tt_modules without escaping', () => {
    const modules = { Link: (href: string) => `<a href="${href}">x</a>` };
    expect(render('{% module Link("/a") %}', { _tt_modules: modules })).toBe('<a href="/a">x</a>');
  });
});

describe('names', () => {
  it('resolves globals that the namespace does not define', () => {
    expect(render('{{ Math.max(a, 3) }} {{ JSON.stringify(o) }}', { a: 1, o: { k: '<' } })).toBe(
      '3 {&quot;k&quot;:&quot;&lt;&quot;}',
    );
  });

  it('lets the namespace shadow globals and the default helpers', () => {
    expect(render('{{ Math }} {{ squeeze }}', { Math: 'm', squeeze: 's' })).toBe('m s');
    expect(render('{{ escape("<") }} {{ urlEscape("a b") }}')).toBe('&amp;lt; a+b');
  });

  it('throws ReferenceError for an unknown name, with its line', () => {
    const error = renderError(new Template('\n\n{{ nope }}', { name: 'n.html' }));
    expect(error).toBeInstanceOf(ReferenceError);
    expect(frames(error)).toEqual(['n.html:3']);
  });

  it('ignores namespace keys that cannot be variable names', () => {
    expect(render('{{ ok }}', { ok: 1, 'not-a-name': 2, class: 3, _tt_o: 4, eval: 5 })).toBe('1');
  });
});

describe('set', () => {
  it('declares function-wide variables, visible after the block that set them', () => {
    expect(render('{% if true %}{% set x = 1 %}{% end %}{{ x }}')).toBe('1');
    expect(render('{% for i in [1, 2] %}{% set last = i %}{% end %}{{ last }} {{ i }}')).toBe(
      '2 2',
    );
  });

  it('runs any statement: compound assignment, member assignment, destructuring, calls', () => {
    const source =
      '{% set n = 1 %}{% set n += 2 %}{% set o.k = n %}{% set [a, b] = [n, 4] %}' +
      '{% set { c } = { c: 5 } %}{% set x = 6, y = 7 %}{% set list.push(8) %}' +
      '{{ n }}{{ o.k }}{{ a }}{{ b }}{{ c }}{{ x }}{{ y }}{{ list }}';
    expect(render(source, { o: {}, list: [] })).toBe('3334567' + '8');
  });

  it('treats let, const and var declarations as function-wide too', () => {
    const source =
      '{% if true %}{% set const a = 1 %}{% set let b = 2 %}{% set var c = 3 %}{% end %}{{ a + b + c }}';
    expect(render(source, { a: 0 })).toBe('6');
  });

  it('reassigns namespace values', () => {
    expect(render('{{ a }}{% set a = a * 2 %}{{ a }}', { a: 2 })).toBe('24');
  });
});

describe('if', () => {
  it('chooses among elif branches by JavaScript truthiness', () => {
    const template = new Template(
      '{% if x > 2 %}big{% elif x === 2 %}two{% elif x %}small{% else %}none{% end %}',
    );
    expect([3, 2, 1, 0].map((x) => template.generate({ x }))).toEqual([
      'big',
      'two',
      'small',
      'none',
    ]);
    expect(render('{% if [] %}empty arrays are truthy{% end %}')).toBe('empty arrays are truthy');
  });
});

describe('for', () => {
  it('iterates values of arrays, strings, sets and generators', () => {
    expect(render('{% for x in xs %}{{ x }},{% end %}', { xs: ['a', 'b'] })).toBe('a,b,');
    expect(render('{% for c in "hé" %}[{{ c }}]{% end %}')).toBe('[h][é]');
    expect(render('{% for x in new Set([1, 1, 2]) %}{{ x }}{% end %}')).toBe('12');
    function* gen(): Generator<number> {
      yield 1;
      yield 2;
    }
    expect(render('{% for x in gen() %}{{ x }}{% end %}', { gen })).toBe('12');
  });

  it('destructures Python style and JavaScript style', () => {
    const entries = Object.entries({ a: 1, b: 2 });
    expect(render('{% for k, v in entries %}{{ k }}={{ v }};{% end %}', { entries })).toBe(
      'a=1;b=2;',
    );
    expect(render('{% for (k, v) in entries %}{{ k }}{{ v }}{% end %}', { entries })).toBe('a1b2');
    expect(render('{% for [k, v] in m %}{{ k }}{{ v }}{% end %}', { m: new Map(entries) })).toBe(
      'a1b2',
    );
    expect(
      render('{% for { id, tags: [t] } in rows %}{{ id }}{{ t }}{% end %}', {
        rows: [{ id: 1, tags: ['x'] }],
      }),
    ).toBe('1x');
    expect(
      render('{% for i, (a, b) in rows %}{{ i }}{{ a }}{{ b }}{% end %}', { rows: [[0, [1, 2]]] }),
    ).toBe('012');
  });

  it('accepts "of" as well as "in", and an "in" inside the iterable', () => {
    expect(render('{% for x of [1, 2] %}{{ x }}{% end %}')).toBe('12');
    expect(render('{% for x in "k" in o ? [1] : [2] %}{{ x }}{% end %}', { o: { k: 0 } })).toBe(
      '1',
    );
  });

  it('runs else when the loop was not broken', () => {
    const template = new Template(
      '{% for x in xs %}{% if x === stop %}{% break %}{% end %}{{ x }}{% else %}done{% end %}',
    );
    expect(template.generate({ xs: [1, 2, 3], stop: 0 })).toBe('123done');
    expect(template.generate({ xs: [1, 2, 3], stop: 2 })).toBe('1');
    expect(template.generate({ xs: [], stop: 0 })).toBe('done');
  });

  it('breaks and continues the innermost loop, also through try blocks', () => {
    const source =
      '{% for i in [1, 2, 3] %}{% for j in [1, 2, 3] %}{% try %}' +
      '{% if j === 2 %}{% continue %}{% end %}{% if j > i %}{% break %}{% end %}{{ i }}{{ j }} ' +
      '{% finally %}.{% end %}{% else %}!{% end %}{% end %}';
    expect(render(source)).toBe('11 ...21 ...31 ..33 .!');
  });

  it('lets break in a loop else leave the enclosing loop', () => {
    expect(
      render(
        '{% for i in [1, 2] %}{{ i }}{% for j in [] %}{% else %}{% break %}{% end %}{% end %}',
      ),
    ).toBe('1');
  });

  it('reports iterating over a non-iterable at the for line', () => {
    const error = renderError(new Template('a\n{% for x in obj %}{% end %}', { name: 'f' }), {
      obj: {},
    });
    expect(error).toBeInstanceOf(TypeError);
    expect(frames(error)).toEqual(['f:2']);
  });

  it('reports an iterator that fails later at the for line', () => {
    function* failing(): Generator<number> {
      yield 1;
      throw new Error('iterator broke');
    }
    const template = new Template('{% for x in it %}\n{{ x }}\n{% end %}', { name: 'f' });
    const error = renderError(template, { it: failing() });
    expect((error as Error).message).toBe('iterator broke');
    expect(frames(error)).toEqual(['f:1']);
  });
});

describe('while', () => {
  it('loops while the condition holds, with break, continue and else', () => {
    const source =
      '{% set n = 0 %}{% while n < 10 %}{% set n += 1 %}{% if n % 2 %}{% continue %}{% end %}' +
      '{% if n > 6 %}{% break %}{% end %}{{ n }}{% else %}end{% end %}';
    expect(render(source)).toBe('246');
    expect(
      render('{% set n = 0 %}{% while n < 3 %}{{ n }}{% set n += 1 %}{% else %}end{% end %}'),
    ).toBe('012end');
  });
});

describe('try', () => {
  const fail = (kind: string): never => {
    if (kind === 'type') throw new TypeError('t');
    if (kind === 'range') throw new RangeError('r');
    throw 'a string';
  };

  it('matches except clauses by class, in order', () => {
    const template = new Template(
      '{% try %}{{ fail(kind) }}{% except TypeError as e %}type:{{ e.message }}' +
        '{% except (RangeError, SyntaxError) %}range{% except as other %}other:{{ other }}{% end %}',
    );
    expect(template.generate({ fail, kind: 'type' })).toBe('type:t');
    expect(template.generate({ fail, kind: 'range' })).toBe('range');
    expect(template.generate({ fail, kind: 'text' })).toBe('other:a string');
  });

  it('rethrows an error no clause matches, with the line it came from', () => {
    const template = new Template(
      '{% try %}\n\n{{ fail("type") }}\n{% except RangeError %}no{% end %}',
      {
        name: 't.html',
      },
    );
    const error = renderError(template, { fail });
    expect(error).toBeInstanceOf(TypeError);
    expect(frames(error)).toEqual(['t.html:3']);
  });

  it('keeps the output written before the error, and runs finally', () => {
    expect(
      render('{% try %}a{{ fail("type") }}b{% except %}c{% finally %}d{% end %}', { fail }),
    ).toBe('acd');
    const nested =
      '{% try %}{% if true %}x{{ 1 }}{% try %}y{% finally %}z{% end %}{{ fail() }}{% end %}{% except %}!{% end %}';
    expect(render(nested, { fail })).toBe('x1yz!');
    const log: number[] = [];
    const template = new Template(
      '{% try %}a{{ fail("type") }}{% finally %}{% set log.push(1) %}{% end %}',
    );
    expect(renderError(template, { fail, log })).toBeInstanceOf(TypeError);
    expect(log).toEqual([1]);
  });

  it('does not catch errors raised in its else body', () => {
    const template = new Template(
      '{% try %}ok{% except %}caught{% else %}{{ fail("type") }}{% end %}',
    );
    expect(renderError(template, { fail })).toBeInstanceOf(TypeError);
  });

  it('restores the output of an apply that failed inside it', () => {
    const source =
      '{% try %}before{% apply up %}lost{{ fail("type") }}{% end %}{% except %} caught{% end %}';
    expect(render(source, { fail, up: (s: string) => s.toUpperCase() })).toBe('before caught');
  });
});

describe('apply', () => {
  it('nests, and sees and sets the template variables', () => {
    const source =
      '{% set n = 1 %}{% apply up %}a{% apply wrap %}b{{ n }}{% set n = 2 %}{% end %}{% end %}{{ n }}';
    const namespace = { up: (s: string) => s.toUpperCase(), wrap: (s: string) => `(${s})` };
    expect(render(source, namespace)).toBe('A(B1)2');
  });

  it('runs inside loops', () => {
    expect(
      render('{% for x in ["a", "b"] %}{% apply up %}{{ x }}{% end %}{% end %}', {
        up: (s: string) => s.toUpperCase(),
      }),
    ).toBe('AB');
  });

  it('reports a failing apply function at its line', () => {
    const bad = (): never => {
      throw new Error('bad apply');
    };
    const error = renderError(new Template('x\n{% apply bad %}\nbody\n{% end %}', { name: 'a' }), {
      bad,
    });
    expect(frames(error)).toEqual(['a:2']);
  });
});

describe('whitespace', () => {
  it('keeps text containing <pre> as written', () => {
    const template = new Template('<pre>\n  a   b\n</pre>\n\n  x   y', { whitespace: 'oneline' });
    expect(template.generate()).toBe('<pre>\n  a   b\n</pre>\n\n  x   y');
  });

  it('maps the deprecated compressWhitespace option to a mode', () => {
    expect(new Template('a  \n  b', { compressWhitespace: true }).generate()).toBe('a\nb');
    expect(new Template('a  \n  b', { name: 'x.html', compressWhitespace: false }).generate()).toBe(
      'a  \n  b',
    );
    expect(() => new Template('', { compressWhitespace: true, whitespace: 'all' })).toThrow(
      TypeError,
    );
    expect(() => new Template('', { whitespace: 'squash' as 'all' })).toThrow(RangeError);
  });

  it('filters like Python: \\s includes U+001C-U+001F and U+0085 but not U+FEFF', () => {
    expect(new Template('a\x1c\u0085 \ufeffb', { whitespace: 'oneline' }).generate()).toBe(
      'a \ufeffb',
    );
  });

  it('does not change the literal delimiters', () => {
    expect(new Template('{{!  x  }}', { whitespace: 'oneline' }).generate()).toBe('{{ x }}');
  });
});
