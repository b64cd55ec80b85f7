import { expect } from 'vitest';
import type { Template, TemplateFrame } from '../src/index.js';
import { templateTrace } from '../src/index.js';

/** Renders and returns what was thrown; fails the test if nothing was. */
export function renderError(template: Template, namespace: Record<string, unknown> = {}): unknown {
  try {
    template.generate(namespace);
  } catch (error) {
    return error;
  }
  throw new Error('expected the template to throw');
}

/** The thrown error's template frames as `name:line` strings. */
export function frames(error: unknown): string[] {
  const trace: readonly TemplateFrame[] | undefined = templateTrace(error);
  expect(trace).toBeDefined();
  return (trace ?? []).map((frame) => `${frame.name}:${frame.line}`);
}

/** Calls `fn` and returns what it threw; fails the test if nothing was. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** True when `text` has no lone surrogate (String.prototype.isWellFormed is ES2024). */
export function isWellFormed(text: string): boolean {
  return !/\p{Cs}/u.test(text);
}
