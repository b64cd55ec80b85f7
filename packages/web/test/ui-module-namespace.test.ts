/**
 * The per-request UI module namespace: one function per module, nothing inherited.
 */
import { describe, expect, it } from 'vitest';
import type { RequestHandler } from '../src/request-handler.js';
import { UIModule } from '../src/ui-module.js';
import { activeUiModules, createUiModuleNamespace } from '../src/ui-module-namespace.js';

class Greeting extends UIModule {
  override render(name: unknown): string {
    return `hello ${String(name)}`;
  }
}

describe('createUiModuleNamespace', () => {
  it('has a function per module and no inherited members', () => {
    const handler = {} as RequestHandler;
    const namespace = createUiModuleNamespace(handler, { Greeting });
    expect(Object.keys(namespace)).toEqual(['Greeting']);
    for (const name of ['toString', 'constructor', 'hasOwnProperty', '__proto__']) {
      expect((namespace as Record<string, unknown>)[name]).toBeUndefined();
      expect(name in namespace).toBe(false);
    }
    expect(namespace.Greeting!('ada')).toBe('hello ada');
    expect(activeUiModules(handler).map((m) => m.constructor)).toEqual([Greeting]);
  });
});
