/**
 * HTTPHeaders: Tornado's case-insensitive multi-dict of header fields.
 *
 * Storage: up to SMALL_LIMIT field lines, one flat array of name and value in turn, in arrival
 * order; past it, a Map from the normalised name to a single value (no array allocated) or an
 * array of values, where every operation is O(1) in the number of values already stored
 * (Tornado's quadratic `add` is the regression test this layout answers).
 */
import { HTTPInputError, InvalidHeaderError } from './errors.js';
import { normalizeHeaderName, normalizeTokenName } from './header-name.js';

/** CR, LF or NUL: what would let a value split the message it is written into. */
const UNSAFE_VALUE_RE = /[\r\n\0]/;

type Stored = string | string[];

/** What {@link HTTPHeaders} can be built from. */
export type HTTPHeadersInit =
  | HTTPHeaders
  | Iterable<readonly [string, string]>
  | Readonly<Record<string, string | readonly string[]>>;

function isOWS(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** Removes leading and trailing SP and HTAB (OWS, RFC 9110 §5.6.3). */
export function trimOWS(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isOWS(value.charCodeAt(start))) start++;
  while (end > start && isOWS(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** The `Http-Header-Case` form of `name`; throws when it is not a token. */
function checkedName(name: string): string {
  const normalized = normalizeTokenName(name);
  if (normalized === undefined) {
    throw new InvalidHeaderError(
      name,
      `Invalid header name ${JSON.stringify(name)}: a name must be a non-empty token ` +
        "(letters, digits and !#$%&'*+-.^_`|~)",
    );
  }
  return normalized;
}

function checkValue(name: string, value: string): void {
  if (UNSAFE_VALUE_RE.test(value)) {
    throw new InvalidHeaderError(
      name,
      `Invalid value for header ${JSON.stringify(name)}: CR, LF and NUL are not allowed ` +
        '(they would split the message); remove or encode them',
    );
  }
}

let appendTrusted: (headers: HTTPHeaders, normalizedName: string, value: string) => void;
let compactLines: (headers: HTTPHeaders) => void;
let replaceValues: (headers: HTTPHeaders, replace: (value: string) => string) => void;
let foldTrusted: (headers: HTTPHeaders, part: string) => boolean;
let countOf: (headers: HTTPHeaders, normalizedName: string) => number;
let firstOf: (headers: HTTPHeaders, normalizedName: string) => string | undefined;

/**
 * Up to this many field lines are kept in one flat array in arrival order: a typical message
 * has 5-25 fields, and scanning a short array of shared name strings is cheaper than hashing
 * every name into a Map. Past it, a Map from name to values keeps every operation O(1).
 */
const SMALL_LIMIT = 32;

/** The index of the first line named `key` in a small form's flat array, or -1. */
function nameIndex(lines: readonly string[], key: string): number {
  for (let i = 0; i < lines.length; i += 2) if (lines[i] === key) return i;
  return -1;
}

/**
 * A dictionary of HTTP header fields that keeps `Http-Header-Case` names and allows repeated
 * fields.
 *
 * Names are case-insensitive (`get('content-type')` finds `Content-Type`) and are stored and
 * listed in `Http-Header-Case`. `get` joins repeated values with `","` as Tornado does;
 * `getList` returns them one by one; iteration yields every `[name, value]` pair, repeats
 * included: the values of a name together, names in the order they were first added.
 *
 * Every way in (`add`, `set`, the constructor, `parse`) refuses names that are not tokens and
 * values containing CR, LF or NUL, so a header read from here can always be written without
 * splitting the message. Adding is O(1) however many values a name has (Tornado had a
 * quadratic case here).
 *
 * @see Tornado `tornado.httputil.HTTPHeaders`
 */
export class HTTPHeaders implements Iterable<[string, string]> {
  // Small form: field lines in arrival order, name and value in turn (#map undefined).
  #lines: string[] = [];
  // Large form: name (in first-appearance order) to its value or values.
  #map: Map<string, Stored> | undefined = undefined;
  #lastKey: string | undefined = undefined;

  static {
    appendTrusted = (headers, normalizedName, value) =>
      HTTPHeaders.#append(headers, normalizedName, value);
    foldTrusted = (headers, part) => HTTPHeaders.#fold(headers, part);
    countOf = (headers, normalizedName) => HTTPHeaders.#count(headers, normalizedName);
    firstOf = (headers, normalizedName) => HTTPHeaders.#first(headers, normalizedName);
    compactLines = (headers) => HTTPHeaders.#compact(headers);
    replaceValues = (headers, replace) => HTTPHeaders.#replaceValues(headers, replace);
  }

  // The private methods are static: a class with instance ones gives each instance (every
  // request a held connection keeps) a slot more.

  /** Drops the spare room of the small form's array (it grew by pushing). */
  static #compact(headers: HTTPHeaders): void {
    if (headers.#map !== undefined) return;
    headers.#lines = headers.#lines.slice();
  }

  /** Puts `replace(value)` in place of every value, repeats included; names and order stay. */
  static #replaceValues(headers: HTTPHeaders, replace: (value: string) => string): void {
    const map = headers.#map;
    if (map === undefined) {
      const lines = headers.#lines;
      for (let i = 1; i < lines.length; i += 2) lines[i] = replace(lines[i]!);
      return;
    }
    for (const [name, stored] of map) {
      if (typeof stored === 'string') map.set(name, replace(stored));
      else for (let i = 0; i < stored.length; i++) stored[i] = replace(stored[i]!);
    }
  }

  constructor(init?: HTTPHeadersInit) {
    if (init === undefined) return;
    if (init instanceof HTTPHeaders) {
      if (!HTTPHeaders.#copyDistinct(this, init))
        for (const [name, value] of init) HTTPHeaders.#append(this, name, value);
    } else if (Symbol.iterator in init) {
      for (const [name, value] of init as Iterable<readonly [string, string]>)
        this.add(name, value);
    } else {
      for (const [name, value] of Object.entries(init)) {
        if (typeof value === 'string') this.add(name, value);
        else for (const v of value) this.add(name, v);
      }
    }
  }

  /**
   * Parses a header block: lines separated by CRLF or a bare LF; a line starting with SP or HTAB
   * continues the previous value (joined with one space); empty lines are skipped.
   *
   * Throws {@link HTTPInputError} for a line without a colon, a name that is not a token, a
   * continuation with nothing to continue, or a bare CR or NUL. (Tornado keeps a bare CR inside
   * the value; RFC 9110 §5.5 asks a recipient to reject or replace it.)
   *
   * @see Tornado `HTTPHeaders.parse`
   */
  static parse(text: string): HTTPHeaders {
    const headers = new HTTPHeaders();
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      let lineEnd = end;
      // RFC 9112 §2.2: a recipient MAY recognise a single LF as a line terminator and ignore
      // any preceding CR.
      if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 0x0d) lineEnd--;
      if (lineEnd > start) headers.parseLine(text.slice(start, lineEnd));
      start = end + 1;
    }
    return headers;
  }

  /**
   * Adds one header line (without its line terminator): `Name: value`, or a continuation line
   * starting with SP or HTAB, which extends the value added last.
   *
   * @see Tornado `HTTPHeaders.parse_line`
   */
  parseLine(line: string): void {
    if (line.includes('\r')) {
      throw new HTTPInputError('Bare CR in header line', { rule: 'bare-cr' });
    }
    if (line.includes('\0')) {
      throw new HTTPInputError('NUL in header line', { rule: 'nul-in-field' });
    }
    const first = line.charCodeAt(0);
    if (isOWS(first)) {
      if (!HTTPHeaders.#fold(this, ` ${trimOWS(line)}`)) {
        throw new HTTPInputError('First header line cannot start with whitespace', {
          rule: 'fold-without-field',
        });
      }
      return;
    }
    const colon = line.indexOf(':');
    if (colon === -1) {
      throw new HTTPInputError('No colon in header line', { rule: 'field-no-colon' });
    }
    const name = line.slice(0, colon);
    const key = normalizeTokenName(name);
    if (key === undefined) {
      throw new HTTPInputError(`Header field name is not a token: ${JSON.stringify(name)}`, {
        rule: 'field-name-invalid',
      });
    }
    HTTPHeaders.#append(this, key, trimOWS(line.slice(colon + 1)));
  }

  /**
   * Adds a value for `name`, after any values it already has.
   *
   * @throws {@link InvalidHeaderError} if `name` is not a token or `value` contains CR, LF or NUL.
   * @see Tornado `HTTPHeaders.add`
   */
  add(name: string, value: string): void {
    const key = checkedName(name);
    checkValue(name, value);
    HTTPHeaders.#append(this, key, value);
  }

  /**
   * Replaces all values of `name` with `value` (keeping the name's place in the order).
   * Unlike `add`, it does not change which value a continuation line extends.
   *
   * @throws {@link InvalidHeaderError} if `name` is not a token or `value` contains CR, LF or NUL.
   * @see Tornado `HTTPHeaders.__setitem__`
   */
  set(name: string, value: string): void {
    const key = checkedName(name);
    checkValue(name, value);
    const map = this.#map;
    if (map !== undefined) {
      map.set(key, value);
      return;
    }
    const lines = this.#lines;
    const first = nameIndex(lines, key);
    if (first === -1) {
      // Like Tornado, only add() and parseLine() choose what a continuation line extends.
      const last = this.#lastKey;
      HTTPHeaders.#append(this, key, value);
      this.#lastKey = last;
      return;
    }
    lines[first + 1] = value;
    for (let i = lines.length - 2; i > first; i -= 2) {
      if (lines[i] === key) lines.splice(i, 2);
    }
  }

  /**
   * Returns the value of `name` if it is set; otherwise sets it to `value` and returns that.
   *
   * @see Tornado `HTTPHeaders.setdefault`
   */
  setDefault(name: string, value: string): string {
    const current = this.get(name);
    if (current !== undefined) return current;
    this.set(name, value);
    return value;
  }

  /**
   * The value of `name`: its values joined with `","` when it is repeated, or `defaultValue`
   * (`undefined` unless given) when it is absent.
   *
   * @see Tornado `HTTPHeaders.__getitem__` / `get`
   */
  get(name: string): string | undefined;
  get(name: string, defaultValue: string): string;
  get(name: string, defaultValue?: string): string | undefined {
    const key = normalizeHeaderName(name);
    const map = this.#map;
    if (map !== undefined) {
      const stored = map.get(key);
      if (stored === undefined) return defaultValue;
      return typeof stored === 'string' ? stored : stored.join(',');
    }
    const lines = this.#lines;
    let found: string | undefined;
    for (let i = 0; i < lines.length; i += 2) {
      if (lines[i] === key) {
        found = found === undefined ? lines[i + 1]! : `${found},${lines[i + 1]!}`;
      }
    }
    return found ?? defaultValue;
  }

  /**
   * All values of `name` in the order they were added (a new array; empty when absent).
   *
   * @see Tornado `HTTPHeaders.get_list`
   */
  getList(name: string): string[] {
    return HTTPHeaders.#list(this, normalizeHeaderName(name));
  }

  /** True when `name` has at least one value. */
  has(name: string): boolean {
    const key = normalizeHeaderName(name);
    return this.#map !== undefined ? this.#map.has(key) : nameIndex(this.#lines, key) !== -1;
  }

  /**
   * Removes every value of `name`; returns whether there was any.
   *
   * @see Tornado `HTTPHeaders.__delitem__`
   */
  delete(name: string): boolean {
    const key = normalizeHeaderName(name);
    if (this.#map !== undefined) return this.#map.delete(key);
    const lines = this.#lines;
    let removed = false;
    for (let i = lines.length - 2; i >= 0; i -= 2) {
      if (lines[i] === key) {
        lines.splice(i, 2);
        removed = true;
      }
    }
    return removed;
  }

  /** The number of distinct header names. */
  get size(): number {
    if (this.#map !== undefined) return this.#map.size;
    const lines = this.#lines;
    let n = 0;
    for (let i = 0; i < lines.length; i += 2) if (nameIndex(lines, lines[i]!) === i) n++;
    return n;
  }

  /** The distinct header names, in `Http-Header-Case`, in the order they were first added. */
  *names(): Generator<string, void, undefined> {
    if (this.#map !== undefined) {
      yield* this.#map.keys();
      return;
    }
    const lines = this.#lines;
    for (let i = 0; i < lines.length; i += 2) {
      if (nameIndex(lines, lines[i]!) === i) yield lines[i]!;
    }
  }

  /**
   * Every `[name, value]` pair, repeats included: the values of a name together, names in the
   * order they were first added.
   *
   * @see Tornado `HTTPHeaders.get_all`
   */
  *getAll(): Generator<[string, string], void, undefined> {
    if (this.#map !== undefined) {
      for (const [name, stored] of this.#map) {
        if (typeof stored === 'string') yield [name, stored];
        else for (const value of stored) yield [name, value];
      }
      return;
    }
    // Copies, so that changing the headers while iterating cannot skip or repeat pairs.
    const lines = this.#lines.slice();
    for (let i = 0; i < lines.length; i += 2) {
      const name = lines[i]!;
      if (nameIndex(lines, name) !== i) continue;
      for (let j = i; j < lines.length; j += 2) if (lines[j] === name) yield [name, lines[j + 1]!];
    }
  }

  /**
   * The fields as HTTP/1.x header lines, `Name: value\r\n` each, in {@link HTTPHeaders.getAll}
   * order (what a message head is written from, without a generator per field).
   */
  formatLines(): string {
    let out = '';
    if (this.#map !== undefined) {
      for (const [name, stored] of this.#map) {
        if (typeof stored === 'string') out += `${name}: ${stored}\r\n`;
        else for (const value of stored) out += `${name}: ${value}\r\n`;
      }
      return out;
    }
    const lines = this.#lines;
    for (let i = 0; i < lines.length; i += 2) {
      const name = lines[i]!;
      if (nameIndex(lines, name) !== i) continue;
      for (let j = i; j < lines.length; j += 2) {
        if (lines[j] === name) out += `${name}: ${lines[j + 1]!}\r\n`;
      }
    }
    return out;
  }

  /** Same as {@link HTTPHeaders.getAll}. */
  [Symbol.iterator](): Generator<[string, string], void, undefined> {
    return this.getAll();
  }

  /**
   * A copy that shares nothing with this one.
   *
   * @see Tornado `HTTPHeaders.copy`
   */
  copy(): HTTPHeaders {
    return new HTTPHeaders(this);
  }

  /** `Name: value\n` for every pair, the format Tornado's `str()` gives. */
  toString(): string {
    let out = '';
    for (const [name, value] of this) out += `${name}: ${value}\n`;
    return out;
  }

  /**
   * Copies `source` by slicing its array when it is in the small form with no repeated name
   * (there, arrival order is iteration order, so the copy is what appending each pair gives);
   * false, copying nothing, otherwise.
   */
  static #copyDistinct(headers: HTTPHeaders, source: HTTPHeaders): boolean {
    if (source.#map !== undefined) return false;
    const lines = source.#lines;
    for (let i = 2; i < lines.length; i += 2) if (nameIndex(lines, lines[i]!) !== i) return false;
    headers.#lines = lines.slice();
    headers.#lastKey = lines[lines.length - 2];
    return true;
  }

  static #list(headers: HTTPHeaders, key: string): string[] {
    const map = headers.#map;
    if (map !== undefined) {
      const stored = map.get(key);
      if (stored === undefined) return [];
      return typeof stored === 'string' ? [stored] : stored.slice();
    }
    const out: string[] = [];
    const lines = headers.#lines;
    for (let i = 0; i < lines.length; i += 2) if (lines[i] === key) out.push(lines[i + 1]!);
    return out;
  }

  static #first(headers: HTTPHeaders, key: string): string | undefined {
    const map = headers.#map;
    if (map !== undefined) {
      const stored = map.get(key);
      return stored === undefined || typeof stored === 'string' ? stored : stored[0];
    }
    const i = nameIndex(headers.#lines, key);
    return i === -1 ? undefined : headers.#lines[i + 1];
  }

  static #count(headers: HTTPHeaders, key: string): number {
    const map = headers.#map;
    if (map !== undefined) {
      const stored = map.get(key);
      return stored === undefined ? 0 : typeof stored === 'string' ? 1 : stored.length;
    }
    let n = 0;
    const lines = headers.#lines;
    for (let i = 0; i < lines.length; i += 2) if (lines[i] === key) n++;
    return n;
  }

  static #append(headers: HTTPHeaders, key: string, value: string): void {
    headers.#lastKey = key;
    const map = headers.#map;
    if (map === undefined) {
      const lines = headers.#lines;
      lines.push(key, value);
      if (lines.length > 2 * SMALL_LIMIT) HTTPHeaders.#grow(headers);
      return;
    }
    const stored = map.get(key);
    if (stored === undefined) map.set(key, value);
    else if (typeof stored === 'string') map.set(key, [stored, value]);
    else stored.push(value);
  }

  /** Moves from the small form to the Map. */
  static #grow(headers: HTTPHeaders): void {
    const map = new Map<string, Stored>();
    const lines = headers.#lines;
    for (let i = 0; i < lines.length; i += 2) {
      const key = lines[i]!;
      const value = lines[i + 1]!;
      const stored = map.get(key);
      if (stored === undefined) map.set(key, value);
      else if (typeof stored === 'string') map.set(key, [stored, value]);
      else stored.push(value);
    }
    headers.#map = map;
    headers.#lines = [];
  }

  static #fold(headers: HTTPHeaders, part: string): boolean {
    const key = headers.#lastKey;
    if (key === undefined) return false;
    const map = headers.#map;
    if (map !== undefined) {
      const stored = map.get(key);
      if (stored === undefined) return false;
      if (typeof stored === 'string') map.set(key, stored + part);
      else stored[stored.length - 1] += part;
      return true;
    }
    const lines = headers.#lines;
    for (let i = lines.length - 2; i >= 0; i -= 2) {
      if (lines[i] === key) {
        lines[i + 1] += part;
        return true;
      }
    }
    return false;
  }
}

/**
 * Adds a value whose name is already normalised and validated and whose value is already
 * checked (the HTTP/1 parser's path). Not exported from the package.
 */
export function addTrustedHeader(
  headers: HTTPHeaders,
  normalizedName: string,
  value: string,
): void {
  appendTrusted(headers, normalizedName, value);
}

/**
 * Appends an already checked continuation `part` to the value added last; false when there is
 * none. Not exported from the package.
 */
export function foldTrustedHeader(headers: HTTPHeaders, part: string): boolean {
  return foldTrusted(headers, part);
}

/**
 * The first value of `normalizedName` (no normalisation, no joining), or undefined. Not exported
 * from the package.
 */
export function firstHeaderValue(headers: HTTPHeaders, normalizedName: string): string | undefined {
  return firstOf(headers, normalizedName);
}

/**
 * Trims the storage of a header set that is complete (a parsed head): a request kept for long,
 * as a websocket's, then holds no spare array room. Not exported from the package.
 */
export function compactHeaders(headers: HTTPHeaders): void {
  compactLines(headers);
}

/** How many field lines `normalizedName` has. Not exported from the package. */
export function headerLineCount(headers: HTTPHeaders, normalizedName: string): number {
  return countOf(headers, normalizedName);
}

/**
 * Puts `replace(value)` in place of every value (repeats included), keeping names and order.
 * Not exported from the package.
 */
export function replaceHeaderValues(
  headers: HTTPHeaders,
  replace: (value: string) => string,
): void {
  replaceValues(headers, replace);
}
