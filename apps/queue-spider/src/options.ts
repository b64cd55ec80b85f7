/**
 * Command-line options: `--base` (where to start, and the prefix of the links to follow) and
 * `--concurrency`.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CONCURRENCY } from './spider.js';

/** Crawled when no `--base` is given: the helloworld sample's address. */
export const DEFAULT_BASE = 'http://127.0.0.1:8888/';

/** What the command line asked for. */
export interface SpiderOptions {
  readonly base: string;
  readonly concurrency: number;
}

/** Parses `argv` (without node and the script); throws a `RangeError` a person can act on. */
export function parseOptions(argv: readonly string[]): SpiderOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { base: { type: 'string' }, concurrency: { type: 'string' } },
  });
  const base = values.base ?? DEFAULT_BASE;
  if (!/^https?:\/\//.test(base) || !URL.canParse(base)) {
    throw new RangeError(`--base must be an http:// or https:// URL, got '${base}'`);
  }
  const text = values.concurrency;
  if (text !== undefined && (!/^\d+$/.test(text) || Number(text) < 1)) {
    throw new RangeError(`--concurrency must be a whole number of at least 1, got '${text}'`);
  }
  return { base, concurrency: text === undefined ? DEFAULT_CONCURRENCY : Number(text) };
}
