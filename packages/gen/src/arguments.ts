/**
 * What a legacy `Callback` or `Task` callback yields when it was called with more than one
 * argument: the positional arguments, and keyword arguments (always empty in JavaScript; kept
 * for Tornado's shape).
 *
 * @see Tornado `tornado.gen.Arguments`
 */
export class Arguments {
  /** The positional arguments, in order. */
  readonly args: readonly unknown[];
  /** Keyword arguments; JavaScript callbacks have none, so this is `{}`. */
  readonly kwargs: Readonly<Record<string, unknown>>;

  constructor(args: readonly unknown[], kwargs: Readonly<Record<string, unknown>> = {}) {
    this.args = args;
    this.kwargs = kwargs;
  }
}
