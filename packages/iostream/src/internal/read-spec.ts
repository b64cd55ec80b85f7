/**
 * ReadSpec: what a delimiter, regex, `readInto` or streaming read of a stream is waiting for.
 */

const EMPTY = Buffer.alloc(0);
/** `maxBytes` of a read without a limit (a small integer: no boxed number). */
export const NO_LIMIT = -1;

/**
 * The state of the reads other than plain `readBytes`: made the first time a stream reads that
 * way and kept (with its cache of the last delimiter) for the next, so a stream that only
 * reads byte counts (an HTTP or websocket connection) carries none of these fields.
 */
export class ReadSpec {
  /** The delimiter of a pending `readUntil`. */
  delimiter: Buffer = EMPTY;
  /** The last string delimiter and its bytes, encoded once. */
  lastDelimiterText = '';
  lastDelimiter: Buffer = EMPTY;
  /** The regex of a pending `readUntilRegex`. */
  regex: RegExp | null = null;
  /** The `maxBytes` of a pending delimiter or regex read, or {@link NO_LIMIT}. */
  maxBytes = NO_LIMIT;
  /** Where the next delimiter search starts (bytes already searched). */
  scanFrom = 0;
  /** The buffered bytes as latin1 text, for the regex (grown as bytes arrive). */
  regexText = '';
  /** The legacy streaming callback of a pending read. */
  streamingCallback: ((chunk: Buffer) => void) | null = null;
  /** The target of a pending `readInto`, and how much of it is filled. */
  intoTarget: Uint8Array = EMPTY;
  intoFilled = 0;

  /** Forgets the pending read (keeps the delimiter cache). */
  reset(): void {
    this.delimiter = EMPTY;
    this.regex = null;
    this.maxBytes = NO_LIMIT;
    this.scanFrom = 0;
    this.regexText = '';
    this.streamingCallback = null;
    this.intoTarget = EMPTY;
    this.intoFilled = 0;
  }
}
