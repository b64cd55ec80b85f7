/**
 * Where in the templates a render error happened.
 *
 * An exception thrown while a template renders is re-thrown as the same object (so its class,
 * and for example an HTTP status it carries, are kept), with the template location added:
 * - as data: {@link templateTrace} returns the frames, innermost first;
 * - in `error.stack`: the frame of the generated function (named after the template through a
 *   `//# sourceURL`) is replaced by lines such as `    at template (page.html:12)`, one per
 *   include or block level, so logs show template lines instead of generated-code positions.
 *
 * Templates rendered inside other templates (`{% module %}`) add their frames in turn, like
 * nested calls. Values that are not objects (`throw 'text'`) cannot carry a location and are
 * re-thrown unchanged; so are frozen objects.
 */

/** One template location: a template name and a 1-based line (0: before the first line). */
export interface TemplateFrame {
  readonly name: string;
  readonly line: number;
}

const TRACE = Symbol.for('@tronada/template.trace');

/** One template render an error passed through: its frames and the generated function's URL. */
interface Level {
  readonly frames: readonly TemplateFrame[];
  readonly marker: string;
}

/** What is stored on an error (under a `Symbol.for` key, so every package copy reads it). */
interface TraceRecord {
  /** The outermost render the levels belong to; see {@link attachTrace}. */
  readonly render: number;
  readonly levels: readonly Level[];
  /** The stack as it was before any template frames were added. */
  readonly stack: string | undefined;
}

function recordOf(error: object): TraceRecord | undefined {
  const record = (error as Record<symbol, unknown>)[TRACE];
  return typeof record === 'object' && record !== null && 'levels' in record
    ? (record as TraceRecord)
    : undefined;
}

/**
 * The template frames an error passed through while rendering, innermost first, or `undefined`
 * if it did not come from a template. For an error in `c.html` line 1, included from `b.html`
 * line 1, itself included from `a.html` line 1: `[c.html:1, b.html:1, a.html:1]`.
 *
 * @see Tornado's template tracebacks (`# c.html:1 (via b.html:1, a.html:1)`)
 */
export function templateTrace(error: unknown): readonly TemplateFrame[] | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  return recordOf(error)?.levels.flatMap((level) => level.frames);
}

function formatFrames(frames: readonly TemplateFrame[]): string {
  return frames.map((frame) => `    at template (${frame.name}:${frame.line})`).join('\n');
}

/** `stack` with each level's frames in place of its generated function's frame. */
function rewriteStack(stack: string, levels: readonly Level[]): string {
  const lines = stack.split('\n');
  for (const level of levels) {
    const index = lines.findIndex((line) => line.includes(`${level.marker}:`));
    const text = formatFrames(level.frames);
    if (index === -1) lines.push(text);
    else lines[index] = text;
  }
  return lines.join('\n');
}

/**
 * Adds `frames` to `error` (see the module comment) and returns it. `marker` is the sourceURL of
 * the generated function whose stack frame the frames replace. `render` identifies the outermost
 * render in progress: levels recorded during an earlier render are dropped, so an error object
 * that is thrown again and again (a shared instance) does not collect frames without end.
 */
export function attachTrace(
  error: unknown,
  frames: readonly TemplateFrame[],
  marker: string,
  render: number,
): unknown {
  if (typeof error !== 'object' || error === null || Object.isFrozen(error)) return error;
  try {
    const previous = recordOf(error);
    const current = (error as { stack?: unknown }).stack;
    const stack =
      previous !== undefined ? previous.stack : typeof current === 'string' ? current : undefined;
    const earlier = previous?.render === render ? previous.levels : [];
    const record: TraceRecord = { render, levels: [...earlier, { frames, marker }], stack };
    Object.defineProperty(error, TRACE, { value: record, configurable: true, writable: true });
    if (stack !== undefined) {
      Object.defineProperty(error, 'stack', {
        value: rewriteStack(stack, record.levels),
        configurable: true,
        writable: true,
      });
    }
  } catch {
    // An exotic object (a proxy, a non-configurable stack): leave it as it is.
  }
  return error;
}
