// How render functions get their namespace: compiled once per key set, never from user data.
import { afterEach, describe, expect, it } from 'vitest';
import { DictLoader, Template } from '../src/index.js';

const RealFunction = globalThis.Function;
let constructed: string[] = [];

/** Counts code generation from strings (`new Function`) while a test runs. */
function watchCodeGeneration(): void {
  constructed = [];
  globalThis.Function = new Proxy(RealFunction, {
    construct(target, args: string[]) {
      constructed.push(args.at(-1) ?? '');
      return Reflect.construct(target, args);
    },
  });
}

afterEach(() => {
  globalThis.Function = RealFunction;
});

describe('namespace binding', () => {
  it('compiles once per key set, never while rendering values', () => {
    const template = new Template('{{ a }}{{ b }}');
    watchCodeGeneration();
    expect(template.generate({ a: 1, b: 2 })).toBe('12');
    expect(constructed).toHaveLength(1);
    const hostile = '"); process.exit(1); ("';
    const placeholder = '$' + '{x}';
    expect(template.generate({ a: hostile, b: placeholder })).toBe(
      `&quot;); process.exit(1); (&quot;${placeholder}`,
    );
    expect(template.generate({ b: 2, a: 1 })).toBe('12'); // another key order: one more shape
    expect(template.generate({ a: 3, b: 4 })).toBe('34');
    expect(constructed).toHaveLength(2);
    expect(constructed.join('\n')).not.toContain('process.exit');
  });

  it('ignores keys the template does not mention when choosing a shape', () => {
    const template = new Template('{{ a }}');
    watchCodeGeneration();
    for (let i = 0; i < 100; i++) template.generate({ a: i, [`unused${i}`]: i });
    expect(constructed).toHaveLength(1);
  });

  it('never binds hostile key names, which can only be values', () => {
    const template = new Template('{{ a }}');
    watchCodeGeneration();
    const keys = ['a}=0;process.exit(1);var{x', 'a, b', '__proto__', 'constructor'];
    for (const key of keys) {
      expect(
        template.generate(
          Object.fromEntries([
            [key, 1],
            ['a', 2],
          ]),
        ),
      ).toBe('2');
    }
    expect(constructed.join('\n')).not.toContain('process');
  });

  it('stays correct when callers pass ever new key sets (bounded cache)', () => {
    const names = Array.from({ length: 8 }, (_, i) => `v${i}`);
    const template = new Template(names.map((name) => `{{ typeof ${name} }}`).join(','));
    for (let mask = 0; mask < 256; mask++) {
      const namespace = Object.fromEntries(
        names.filter((_, i) => mask & (1 << i)).map((n) => [n, 1]),
      );
      const expected = names.map((_, i) => (mask & (1 << i) ? 'number' : 'undefined')).join(',');
      expect(template.generate(namespace)).toBe(expected);
    }
  });

  it('reads values through getters and from objects without a prototype', () => {
    const namespace = Object.create(null) as Record<string, unknown>;
    Object.defineProperty(namespace, 'x', { get: () => 'got', enumerable: true });
    expect(new Template('{{ x }}').generate(namespace)).toBe('got');
  });

  it('puts the values passed over the loader namespace over the defaults', () => {
    const loader = new DictLoader(
      { 't.txt': '{{ squeeze(" a  b ") }} {{ who }} {{ escape("<") }}' },
      { namespace: { who: 'loader', squeeze: (s: string) => `[${s}]` } },
    );
    expect(loader.load('t.txt').generate()).toBe('[ a  b ] loader &amp;lt;');
    expect(loader.load('t.txt').generate({ who: 'call', escape: () => 'e' })).toBe(
      '[ a  b ] call e',
    );
  });

  it('uses a loader-provided escape function for autoescape', () => {
    const loader = new DictLoader(
      { 't.html': '{{ x }}' },
      { namespace: { xhtmlEscape: (s: string) => s.replaceAll('<', '(') } },
    );
    expect(loader.load('t.html').generate({ x: '<b>' })).toBe('(b>');
  });

  it('exposes the generated source', () => {
    const template = new Template('{{ x }}');
    expect(template.code).toContain('function _tt_render');
    expect(template.code).toContain('//# sourceURL=tronada-template:_string_');
  });
});
