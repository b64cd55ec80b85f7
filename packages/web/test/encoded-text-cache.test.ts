/**
 * EncodedTextCache: the shared UTF-8 bytes and ETags of response texts, and its bounds.
 */
import { describe, expect, it } from 'vitest';
import { EncodedTextCache } from '../src/encoded-text-cache.js';
import { etagOf } from '../src/etag.js';

describe('EncodedTextCache', () => {
  it('gives the UTF-8 bytes and the SHA-1 entity tag of a text', () => {
    const cache = new EncodedTextCache();
    for (const text of ['', 'Hello, world', 'café ☕ 𝄞', '\ud800 lone surrogate']) {
      const entry = cache.get(text)!;
      expect(entry.bytes.equals(Buffer.from(text, 'utf8'))).toBe(true);
      expect(entry.etag).toBe(etagOf([Buffer.from(text, 'utf8')]));
    }
  });

  it('hands out the same entry for equal texts, built separately', () => {
    const cache = new EncodedTextCache();
    const first = cache.get(JSON.stringify({ message: 'Hello, world' }));
    const second = cache.get(JSON.stringify({ message: 'Hello, world' }));
    expect(second).toBe(first);
    expect(cache.get(JSON.stringify({ message: 'Hello, world!' }))).not.toBe(first);
    expect(cache.size).toBe(2);
  });

  it('keeps the bytes out of the shared allocation pool', () => {
    const bytes = new EncodedTextCache().get('short')!.bytes;
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  });

  it('does not cache texts longer than maxTextLength', () => {
    const cache = new EncodedTextCache({ maxTextLength: 8 });
    expect(cache.get('12345678')).toBeDefined();
    expect(cache.get('123456789')).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('starts over when it holds maxEntries texts', () => {
    const cache = new EncodedTextCache({ maxEntries: 3 });
    const a = cache.get('a');
    cache.get('b');
    cache.get('c');
    expect(cache.size).toBe(3);
    cache.get('d');
    expect(cache.size).toBe(1);
    expect(cache.get('a')).not.toBe(a);
  });

  it('starts over when its texts reach maxTotalLength characters', () => {
    const cache = new EncodedTextCache({ maxTotalLength: 10 });
    cache.get('12345');
    cache.get('67890');
    expect(cache.size).toBe(2);
    cache.get('x');
    expect(cache.size).toBe(1);
  });

  it('forgets everything on clear()', () => {
    const cache = new EncodedTextCache();
    cache.get('a');
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
