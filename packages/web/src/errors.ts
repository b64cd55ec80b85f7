/**
 * The errors a request handler raises to end a request: {@link HTTPError} (an error response),
 * {@link MissingArgumentError}, and {@link Finish} (no error at all).
 */
import { TronadaError } from '@tronada/ioloop';
import { reasonPhrase } from './http-status.js';

/** Options of {@link HTTPError}. */
export interface HTTPErrorOptions {
  /** The reason phrase for the status line (only needed for non-standard codes). */
  reason?: string | undefined;
  /** Values for `%s` placeholders in the log message. */
  args?: readonly unknown[] | undefined;
  /** What caused this error. */
  cause?: unknown;
}

function formatLogMessage(template: string, args: readonly unknown[]): string {
  let i = 0;
  return template.replace(/%[sdr%]/g, (token) => {
    if (token === '%%') return '%';
    return i < args.length ? String(args[i++]) : token;
  });
}

/**
 * Thrown in a handler to answer with an error status: the request ends with `status` and the
 * handler's error page (`writeError`). `logMessage` goes to the log (with `%s` placeholders
 * filled from `args`), never to the client; `reason` replaces the status line's phrase.
 *
 * ```ts
 * throw new HTTPError(404, 'no user %s', { args: [id] });
 * ```
 *
 * @see Tornado `tornado.web.HTTPError`
 */
export class HTTPError extends TronadaError {
  override readonly name: string = 'HTTPError';
  readonly code: string = 'ERR_HTTP_ERROR';
  /** The status of the error response. */
  readonly statusCode: number;
  /** The message for the log, placeholders not yet filled. */
  readonly logMessage: string | undefined;
  /** Values for the log message's placeholders. */
  readonly args: readonly unknown[];
  /** The reason phrase for the status line, if not the standard one. */
  readonly reason: string | undefined;

  constructor(statusCode = 500, logMessage?: string | null, options: HTTPErrorOptions = {}) {
    const args = options.args ?? [];
    const phrase = options.reason || reasonPhrase(statusCode);
    const detail = logMessage ? ` (${formatLogMessage(logMessage, args)})` : '';
    super(`HTTP ${statusCode}: ${phrase}${detail}`, { cause: options.cause });
    this.statusCode = statusCode;
    this.logMessage = logMessage ?? undefined;
    this.args = args;
    this.reason = options.reason;
  }

  /** `HTTP 682: Foo (log message)`, the text of Tornado's `str(HTTPError)`: the message alone. */
  override toString(): string {
    return this.message;
  }

  /** The log message with its placeholders filled (undefined when there is none). */
  formattedLogMessage(): string | undefined {
    return this.logMessage === undefined ? undefined : formatLogMessage(this.logMessage, this.args);
  }
}

/**
 * The 400 error of `getArgument` when a required argument is missing.
 *
 * @see Tornado `tornado.web.MissingArgumentError`
 */
export class MissingArgumentError extends HTTPError {
  override readonly name = 'MissingArgumentError';
  override readonly code = 'ERR_MISSING_ARGUMENT';
  /** The missing argument's name. */
  readonly argName: string;

  constructor(argName: string) {
    super(400, `Missing argument ${argName}`);
    this.argName = argName;
  }
}

/**
 * Thrown in a handler to end the request without an error page: the response written so far
 * is sent (plus `chunk`, if given), and nothing is logged.
 *
 * @see Tornado `tornado.web.Finish`
 */
export class Finish extends TronadaError {
  override readonly name = 'Finish';
  readonly code = 'ERR_FINISH';
  /** A last chunk handed to `finish()`, if any. */
  readonly chunk: string | Uint8Array | object | undefined;

  constructor(chunk?: string | Uint8Array | object) {
    super('The request was finished early');
    this.chunk = chunk;
  }
}
