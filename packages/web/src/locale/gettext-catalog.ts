/**
 * A compiled gettext catalog (`.mo` file), parsed by hand.
 *
 * The format (GNU gettext manual, "The Format of GNU MO Files"): a 28-byte header of 32-bit
 * words in the writer's byte order, recognisable by the magic 0x950412de read in either order:
 * magic, revision (major in the high 16 bits; 0 and 1 are known), message count N, offset of
 * the original-strings table, offset of the translations table, then hash-table size and
 * offset (unused here). Each table holds N (length, offset) pairs pointing at NUL-terminated
 * strings. An original holding a NUL is a plural entry, `singular\0plural`, whose translation
 * holds the forms separated by NULs; `context\x04msgid` marks a message with a context. The
 * entry with the empty original is the header: `Key: value` lines, among them `Content-Type`
 * (the charset of every string) and `Plural-Forms` (which form a count takes).
 */
import { TextDecoder } from 'node:util';
import { genLog } from '@tronada/ioloop';
import { MoFileError } from './locale-errors.js';
import { compilePluralExpression, germanicPlural } from './plural-forms.js';

/** Separates a message's context from its id in a catalog: `context + '\x04' + msgid`. @see Tornado `tornado.locale.CONTEXT_SEPARATOR` */
export const CONTEXT_SEPARATOR = '\x04';

const MAGIC = 0x950412de;
const HEADER_SIZE = 20;

interface RawEntry {
  readonly original: Uint8Array;
  readonly translation: Uint8Array;
}

function readEntries(bytes: Uint8Array, source: string): RawEntry[] {
  if (bytes.length < HEADER_SIZE) throw new MoFileError(source, 'file is too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let little: boolean;
  if (view.getUint32(0, true) === MAGIC) little = true;
  else if (view.getUint32(0, false) === MAGIC) little = false;
  else throw new MoFileError(source, 'bad magic number');
  const word = (offset: number): number => {
    if (offset + 4 > bytes.length) throw new MoFileError(source, 'a table runs past the end');
    return view.getUint32(offset, little);
  };
  const major = word(4) >>> 16;
  if (major > 1) throw new MoFileError(source, `unknown major version ${major}`);
  const count = word(8);
  const originals = word(12);
  const translations = word(16);
  const slice = (table: number, index: number): Uint8Array => {
    const length = word(table + index * 8);
    const start = word(table + index * 8 + 4);
    // The string's terminating NUL must fit too, as Python's reader demands.
    if (start + length >= bytes.length) throw new MoFileError(source, 'a string runs past the end');
    return bytes.subarray(start, start + length);
  };
  const entries: RawEntry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push({ original: slice(originals, i), translation: slice(translations, i) });
  }
  return entries;
}

function parseHeader(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  let last: string | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || (line.startsWith('#-#-#-#-#') && line.endsWith('#-#-#-#-#'))) continue;
    const colon = line.indexOf(':');
    if (colon >= 0) {
      last = line.slice(0, colon).trim().toLowerCase();
      headers.set(last, line.slice(colon + 1).trim());
    } else if (last !== undefined) {
      // A line without a colon continues the previous field.
      headers.set(last, `${headers.get(last)}\n${line}`);
    }
  }
  return headers;
}

function decoderFor(charset: string, source: string): TextDecoder {
  try {
    return new TextDecoder(charset, { fatal: true, ignoreBOM: true });
  } catch (error) {
    throw new MoFileError(source, `unknown charset ${JSON.stringify(charset)}`, { cause: error });
  }
}

function pluralRule(header: string | undefined, source: string): (n: number) => number {
  const expression = header === undefined ? undefined : /plural\s*=\s*([^;]*)/.exec(header)?.[1];
  if (expression === undefined) return germanicPlural;
  try {
    return compilePluralExpression(expression);
  } catch (error) {
    // Keep the translations usable: a broken rule costs only the choice among plural forms.
    genLog.warn(
      `Invalid Plural-Forms expression ${JSON.stringify(expression)} in ${source} ` +
        `(${(error as Error).message}); using the English rule n != 1`,
    );
    return germanicPlural;
  }
}

/** Options of {@link GettextCatalog.parse}. */
export interface GettextCatalogParseOptions {
  /** Names the bytes in error messages (a path); default `'<bytes>'`. */
  source?: string;
}

/**
 * The messages of one compiled gettext catalog, with lookups that fall back to a second
 * catalog ({@link GettextCatalog.withFallback}) and then to the untranslated message, as GNU gettext does.
 *
 * Strings are decoded with the header's `Content-Type` charset (UTF-8 when none is given); the
 * plural form comes from the header's `Plural-Forms` rule, any C expression gettext allows
 * (the English rule `n != 1` when there is none, or, with a warning, when it is invalid).
 *
 * @see Tornado `gettext.GNUTranslations` (Python's standard library, used by `GettextLocale`)
 */
export class GettextCatalog {
  /** The header fields, keys in lower case (`content-type`, `plural-forms`, `language`). */
  readonly headers: ReadonlyMap<string, string>;
  readonly #messages: Map<string, string>;
  readonly #plurals: Map<string, readonly string[]>;
  readonly #plural: (n: number) => number;
  readonly #fallback: GettextCatalog | null;

  private constructor(
    headers: ReadonlyMap<string, string>,
    plural: (n: number) => number,
    messages: Map<string, string> = new Map(),
    plurals: Map<string, readonly string[]> = new Map(),
    fallback: GettextCatalog | null = null,
  ) {
    this.headers = headers;
    this.#plural = plural;
    this.#messages = messages;
    this.#plurals = plurals;
    this.#fallback = fallback;
  }

  /**
   * Parses the bytes of a `.mo` file written in either byte order. Throws {@link MoFileError}
   * when they are not a catalog or its strings do not decode in its charset.
   */
  static parse(bytes: Uint8Array, options: GettextCatalogParseOptions = {}): GettextCatalog {
    const source = options.source ?? '<bytes>';
    const entries = readEntries(bytes, source);
    const headerEntry = entries.find((entry) => entry.original.length === 0);
    const utf8 = decoderFor('utf-8', source);
    const decodeHeader = (data: Uint8Array): string => {
      try {
        return utf8.decode(data);
      } catch (error) {
        throw new MoFileError(source, 'the header is not UTF-8', { cause: error });
      }
    };
    const headers = parseHeader(headerEntry ? decodeHeader(headerEntry.translation) : '');
    const charset = /charset\s*=\s*([^\s;]+)/i.exec(headers.get('content-type') ?? '')?.[1];
    const decoder = decoderFor(charset ?? 'utf-8', source);
    const catalog = new GettextCatalog(headers, pluralRule(headers.get('plural-forms'), source));
    const decode = (data: Uint8Array): string => {
      try {
        return decoder.decode(data);
      } catch (error) {
        throw new MoFileError(source, `a string is not valid ${charset ?? 'utf-8'}`, {
          cause: error,
        });
      }
    };
    for (const { original, translation } of entries) {
      const nul = original.indexOf(0);
      if (nul < 0) {
        catalog.#messages.set(decode(original), decode(translation));
      } else {
        catalog.#plurals.set(decode(original.subarray(0, nul)), decode(translation).split('\0'));
      }
    }
    return catalog;
  }

  /**
   * A catalog with this one's messages that consults `fallback` for every message it lacks
   * (after its own fallback, if it has one). This catalog is left unchanged.
   */
  withFallback(fallback: GettextCatalog): GettextCatalog {
    // The tables are never changed after parsing, so the copy shares them.
    const chain = this.#fallback ? this.#fallback.withFallback(fallback) : fallback;
    return new GettextCatalog(this.headers, this.#plural, this.#messages, this.#plurals, chain);
  }

  /** The translation of `message`, or `message` itself when no catalog in the chain has it. */
  gettext(message: string): string {
    const found = this.#messages.get(message);
    if (found !== undefined) return found;
    return this.#fallback ? this.#fallback.gettext(message) : message;
  }

  /**
   * The plural form of `singular` for `count` under this catalog's rule; when no catalog in the
   * chain has it, `singular` for a count of 1 and `plural` otherwise.
   */
  ngettext(singular: string, plural: string, count: number): string {
    const found = this.#plurals.get(singular)?.[this.#plural(count)];
    if (found !== undefined) return found;
    if (this.#fallback) return this.#fallback.ngettext(singular, plural, count);
    return count === 1 ? singular : plural;
  }

  /** The index of the plural form this catalog's rule picks for `count`. */
  pluralIndex(count: number): number {
    return this.#plural(count);
  }
}
