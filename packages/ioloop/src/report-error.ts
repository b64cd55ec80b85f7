import { CancelledError } from './errors.js';
import { appLog } from './log.js';

/**
 * Logs an exception that escaped a callback on `appLog`, with its stack, as Tornado's
 * "Exception in callback" line. Cancellation is not an error and is not logged. Never throws.
 */
export function reportCallbackError(callback: unknown, error: unknown): void {
  if (error instanceof CancelledError) return;
  const name = typeof callback === 'function' && callback.name ? callback.name : 'anonymous';
  try {
    appLog.error(`Exception in callback ${name}`, error);
  } catch {
    // A logger that throws must not take the loop down with it; the loop relies on this
    // function never throwing.
  }
}
