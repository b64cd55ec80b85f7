/**
 * Named loggers, as in Tornado: `accessLog` (one line per HTTP request), `appLog` (errors in
 * application code, such as an exception in a callback) and `genLog` (everything else).
 *
 * They are silent until configured: give them any logger with `debug/info/warn/error` (the
 * console, pino, winston) with {@link NamedLogger.setLogger}, or call
 * {@link enablePrettyLogging}. Handlers added with {@link NamedLogger.addHandler} see each
 * record first and may consume it; tests use this to expect or forbid log lines.
 */

/** The four levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Anything that can receive log lines: `console`, or a logging library's logger. */
export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

/** One log call, as handlers see it. */
export interface LogRecord {
  /** The logger's name, e.g. `tronada.application`. */
  readonly logger: string;
  readonly level: LogLevel;
  readonly message: string;
  /** Extra arguments of the call; an Error here carries the stack. */
  readonly args: readonly unknown[];
}

/** Sees a record before the logger's target does; returning `true` consumes it. */
export type LogHandler = (record: LogRecord) => boolean | undefined;

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * A logger with a fixed name whose destination can be replaced at run time.
 *
 * @see Tornado `logging.getLogger("tornado.*")`
 */
export class NamedLogger implements Logger {
  /** The full name, e.g. `tronada.access`. */
  readonly name: string;
  /** Records below this level are dropped before handlers and target see them. */
  level: LogLevel = 'debug';
  #target: Logger | null = null;
  #handlers: LogHandler[] = [];

  constructor(name: string) {
    this.name = name;
  }

  /** Sends this logger's records to `logger`; `null` makes it silent again. */
  setLogger(logger: Logger | null): void {
    this.#target = logger;
  }

  /** The current destination, or `null` when silent. */
  getLogger(): Logger | null {
    return this.#target;
  }

  /**
   * Adds a handler that sees each record before the target (newest handler first).
   * Returns a function that removes it.
   */
  addHandler(handler: LogHandler): () => void {
    this.#handlers.push(handler);
    return () => {
      const i = this.#handlers.lastIndexOf(handler);
      if (i >= 0) this.#handlers.splice(i, 1);
    };
  }

  /** True if a record at `level` would reach a handler or a target. */
  isEnabledFor(level: LogLevel): boolean {
    return rank[level] >= rank[this.level] && (this.#target !== null || this.#handlers.length > 0);
  }

  debug(message: string, ...args: unknown[]): void {
    this.#emit('debug', message, args);
  }

  info(message: string, ...args: unknown[]): void {
    this.#emit('info', message, args);
  }

  warn(message: string, ...args: unknown[]): void {
    this.#emit('warn', message, args);
  }

  error(message: string, ...args: unknown[]): void {
    this.#emit('error', message, args);
  }

  #emit(level: LogLevel, message: string, args: unknown[]): void {
    if (rank[level] < rank[this.level]) return;
    if (this.#handlers.length > 0) {
      const record: LogRecord = { logger: this.name, level, message, args };
      for (let i = this.#handlers.length - 1; i >= 0; i--) {
        if (this.#handlers[i]!(record) === true) return;
      }
    }
    this.#target?.[level](`[${this.name}] ${message}`, ...args);
  }
}

/** Per-request access lines (HTTP servers log one per request). @see Tornado `access_log` */
export const accessLog = new NamedLogger('tronada.access');
/** Errors in application code, e.g. an exception raised by a callback. @see Tornado `app_log` */
export const appLog = new NamedLogger('tronada.application');
/** Everything else: connection errors, malformed input, debug notes. @see Tornado `gen_log` */
export const genLog = new NamedLogger('tronada.general');

/** Options of {@link enablePrettyLogging}. */
export interface PrettyLoggingOptions {
  /** Lowest level printed; default `'info'`. */
  level?: LogLevel;
  /** Destination; default `console`. */
  logger?: Logger;
}

/**
 * Turns on the three named loggers, printing to the console (or `options.logger`) from
 * `options.level` up.
 *
 * @see Tornado `tornado.log.enable_pretty_logging`
 */
export function enablePrettyLogging(options: PrettyLoggingOptions = {}): void {
  for (const log of [accessLog, appLog, genLog]) {
    log.level = options.level ?? 'info';
    log.setLogger(options.logger ?? console);
  }
}
