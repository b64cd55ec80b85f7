/**
 * The default error pages of `RequestHandler.writeError`.
 */
import { inspect } from 'node:util';
import { xhtmlEscape } from '@tronada/template';

/**
 * The HTML error page: `<html><title>404: Not Found</title><body>404: Not Found</body></html>`,
 * the reason escaped.
 */
export function errorPage(statusCode: number, reason: string): string {
  const message = `${statusCode}: ${xhtmlEscape(reason)}`;
  return `<html><title>${message}</title><body>${message}</body></html>`;
}

/** The text of an error with its stack (and causes), for `serveTraceback` pages. */
export function tracebackText(error: unknown): string {
  return `${inspect(error, { depth: 4, colors: false })}\n`;
}
