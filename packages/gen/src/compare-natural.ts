/**
 * compareNatural: the default order of a PriorityQueue, modelled on how Python orders the
 * values Tornado's PriorityQueue (a heapq) usually holds: numbers, strings and tuples.
 */

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'object') return `${value.constructor?.name ?? 'Object'} instance`;
  return `a ${typeof value}`;
}

function unorderable(a: unknown, b: unknown): TypeError {
  return new TypeError(
    `compareNatural cannot order ${kindOf(a)} against ${kindOf(b)}; give the PriorityQueue a compare option (for example (a, b) => a[0] - b[0]) or put [priority, item] tuples whose priorities differ`,
  );
}

function isNumeric(value: unknown): value is number | bigint | boolean {
  return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean';
}

/**
 * Orders two values the way Python's `<` orders what Tornado's PriorityQueue usually holds:
 * numbers, bigints and booleans by value (mixed freely, `false` < `true` as 0 < 1); strings by
 * UTF-16 code units; Dates by time; arrays as tuples, element by element, a shorter prefix
 * first. The same value (`Object.is`) is equal to itself whatever its kind, as Python compares
 * tuple elements by identity first. Anything else (objects, mixed kinds, NaN) throws a
 * TypeError, as Python does, rather than inventing an order.
 *
 * Returns a negative number if `a` comes first, positive if `b` does, 0 if they tie.
 *
 * @see Tornado `tornado.queues.PriorityQueue` (Python's ordering of tuples in `heapq`)
 */
export function compareNatural(a: unknown, b: unknown): number {
  if (Object.is(a, b)) return 0;
  if (isNumeric(a) && isNumeric(b)) {
    // JavaScript compares numbers, bigints and booleans with each other exactly; the casts only
    // quiet the type checker. NaN is neither below, above nor equal to anything: no order.
    const x = a as number;
    const y = b as number;
    if (x < y) return -1;
    if (x > y) return 1;
    if (x >= y) return 0;
    throw unorderable(a, b);
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return compareNatural(a.getTime(), b.getTime());
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = compareNatural(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  throw unorderable(a, b);
}
