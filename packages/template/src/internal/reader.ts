import { ParseError } from '../errors.js';
import type { WhitespaceMode } from '../whitespace.js';

/**
 * A cursor over template source that keeps the current 1-based line number, so that every
 * `ParseError` can say where it happened. Offsets passed to `find` and `peek` are relative to the
 * cursor.
 */
export class TemplateReader {
  readonly name: string;
  /** The whitespace mode for text from here on; `{% whitespace %}` changes it. */
  whitespace: WhitespaceMode;
  /** The line the cursor is on. */
  line = 1;
  #text: string;
  #pos = 0;

  constructor(name: string, text: string, whitespace: WhitespaceMode) {
    this.name = name;
    this.#text = text;
    this.whitespace = whitespace;
  }

  /** Characters left after the cursor. */
  get remaining(): number {
    return this.#text.length - this.#pos;
  }

  /** Offset of `needle` at or after `from`, relative to the cursor; -1 when absent. */
  find(needle: string, from = 0): number {
    const index = this.#text.indexOf(needle, this.#pos + from);
    return index === -1 ? -1 : index - this.#pos;
  }

  /** The character `offset` places after the cursor ('' past the end). */
  peek(offset: number): string {
    return this.#text.charAt(this.#pos + offset);
  }

  /** Returns the next `count` characters (all that is left by default) and moves past them. */
  consume(count = this.remaining): string {
    const end = this.#pos + count;
    const taken = this.#text.slice(this.#pos, end);
    for (let i = taken.indexOf('\n'); i !== -1; i = taken.indexOf('\n', i + 1)) this.line++;
    this.#pos = end;
    return taken;
  }

  /** A `ParseError` for the current position. */
  error(detail: string, line = this.line): ParseError {
    return new ParseError(detail, this.name, line);
  }
}
