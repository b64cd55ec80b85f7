/**
 * The `?seconds=` argument of `/sleep` and `/block`.
 */
import type { RequestHandler } from '@tronada/web';
import { HTTPError } from '@tronada/web';

/** The longest `/sleep` or `/block` this app agrees to (a busy loop holds the whole server). */
export const MAX_SECONDS = 10;

/** `?seconds=` as a number from 0 to {@link MAX_SECONDS} (default 1); 400 otherwise. */
export function secondsArgument(handler: RequestHandler): number {
  const text = handler.getArgument('seconds', '1');
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_SECONDS) {
    throw new HTTPError(400, 'seconds must be a number from 0 to %s, got %s', {
      args: [MAX_SECONDS, text],
    });
  }
  return seconds;
}
