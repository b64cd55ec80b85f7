/**
 * Reading request arguments (name → list of byte values) for `RequestHandler.getArgument`.
 */
import type { ArgumentsMap } from '@tronada/httputil';

/** Where arguments come from: the query, the body, or both merged. */
export type ArgumentSource = ArgumentsMap;

/** The values of argument `name` in `source`, each passed through `decode`. */
export function argumentValues(
  source: ArgumentSource,
  name: string,
  decode: (raw: Uint8Array) => string,
): string[] {
  const raw = Object.hasOwn(source, name) ? source[name] : undefined;
  if (raw === undefined) return [];
  return raw.map(decode);
}
