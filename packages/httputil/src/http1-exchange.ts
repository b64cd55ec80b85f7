/**
 * The access-log record of one HTTP/1.x exchange, as {@link HTTP1Connection} fills it in.
 */
import type { RequestStartLine } from './start-line.js';

/**
 * What one exchange was, for an access log: the request line, the status written (if any),
 * the peer's address as the application saw it, and when it started and ended (seconds, from
 * `performance.now()`).
 */
export interface HTTP1Exchange {
  readonly method: string;
  readonly uri: string;
  readonly version: string;
  code: number | undefined;
  remoteIp: string | undefined;
  readonly startTime: number;
  finishTime: number | undefined;
}

/** Seconds on the `performance.now()` scale (the exchange's clock, not the loop's). */
function now(): number {
  return performance.now() / 1000;
}

/** Starts the record of the exchange that `startLine` opens. */
export function startExchange(startLine: RequestStartLine): HTTP1Exchange {
  return {
    method: startLine.method,
    uri: startLine.path,
    version: startLine.version,
    code: undefined,
    remoteIp: undefined,
    startTime: now(),
    finishTime: undefined,
  };
}

/** Stamps the end of `exchange`, once: a later call keeps the first finish time. */
export function finishExchange(exchange: HTTP1Exchange | null): void {
  if (exchange !== null && exchange.finishTime === undefined) exchange.finishTime = now();
}
