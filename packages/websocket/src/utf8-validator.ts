/**
 * Incremental UTF-8 validation (RFC 3629), for text messages that arrive in fragments and
 * frames that arrive in pieces.
 *
 * The state between calls is the number of continuation bytes still expected and the range the
 * next one must fall in. The first continuation byte has a narrower range after E0, ED, F0 and
 * F4: that one check rejects overlong forms (E0 80..9F, F0 80..8F), UTF-16 surrogates
 * (ED A0..BF) and code points above U+10FFFF (F4 90..BF) at the first byte that makes them
 * invalid, which is what RFC 6455 §8.1 asks for ("fail fast"). C0, C1 and F5..FF never start a
 * sequence. A chunk starting on a character boundary goes through `buffer.isUtf8` first, which
 * is native and much faster for the common case.
 */
import { isUtf8 } from 'node:buffer';

/**
 * Validates UTF-8 across any number of {@link Utf8Validator.write} calls.
 *
 * Guarantees: `write` reports the first invalid byte exactly, however the input is split;
 * `end` reports a sequence truncated by the end of the text. After an error the validator
 * stays failed until {@link Utf8Validator.reset}.
 *
 * @see Tornado `WebSocketProtocol13._handle_message` (which decodes the whole message at once)
 */
export class Utf8Validator {
  #remaining = 0;
  #lower = 0x80;
  #upper = 0xbf;
  #failed = false;

  /**
   * Feeds `bytes[start, end)`. Returns -1 while the text is valid so far, or the index (into
   * `bytes`) of the first byte that cannot be part of valid UTF-8.
   */
  write(bytes: Uint8Array, start = 0, end = bytes.length): number {
    if (this.#failed) return start;
    // Below a few dozen bytes the loop beats the native call (and the view it needs).
    if (this.#remaining === 0 && end - start > 48) {
      if (isUtf8(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end)))
        return -1;
    }
    let remaining = this.#remaining;
    let lower = this.#lower;
    let upper = this.#upper;
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      if (remaining === 0) {
        if (b < 0x80) continue;
        lower = 0x80;
        upper = 0xbf;
        if (b >= 0xc2 && b <= 0xdf) remaining = 1;
        else if (b >= 0xe0 && b <= 0xef) {
          remaining = 2;
          if (b === 0xe0) lower = 0xa0;
          else if (b === 0xed) upper = 0x9f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          remaining = 3;
          if (b === 0xf0) lower = 0x90;
          else if (b === 0xf4) upper = 0x8f;
        } else {
          this.#failed = true;
          return i;
        }
      } else {
        if (b < lower || b > upper) {
          this.#failed = true;
          return i;
        }
        remaining--;
        lower = 0x80;
        upper = 0xbf;
      }
    }
    this.#remaining = remaining;
    this.#lower = lower;
    this.#upper = upper;
    return -1;
  }

  /** True when everything written so far is valid and ends on a character boundary. */
  end(): boolean {
    return !this.#failed && this.#remaining === 0;
  }

  /** Forgets all state, for the next message. */
  reset(): void {
    this.#remaining = 0;
    this.#lower = 0x80;
    this.#upper = 0xbf;
    this.#failed = false;
  }
}
