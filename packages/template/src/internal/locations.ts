import type { TemplateFrame } from '../trace.js';

/**
 * The table behind `_tt_l`: each distinct template location (a file and line, plus the chain of
 * includes and blocks it was reached through) gets a small integer id, so generated code marks
 * its position with one integer store and the error path turns the id back into frames.
 */
export class LocationTable {
  readonly #frames: TemplateFrame[][] = [];
  readonly #ids = new Map<string, number>();

  /** Id 0 is `name` line 0: the template before any of its lines runs. */
  constructor(name: string) {
    this.id(name, 0, []);
  }

  /** The id of `name:line` reached through `via` (outermost first). */
  id(name: string, line: number, via: readonly TemplateFrame[]): number {
    const key = [name, line, ...via.flatMap((frame) => [frame.name, frame.line])].join('\0');
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.#frames.length;
      this.#frames.push([{ name, line }, ...via.toReversed()]);
      this.#ids.set(key, id);
    }
    return id;
  }

  /** The frames of each id, innermost first. */
  get frames(): readonly (readonly TemplateFrame[])[] {
    return this.#frames;
  }
}
