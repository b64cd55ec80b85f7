/**
 * Websocket masking (RFC 6455 §5.3): payload byte i is XORed with byte i mod 4 of the frame's
 * 4-byte masking key. Masking and unmasking are the same operation.
 */
import { randomFillSync } from 'node:crypto';

// Below this many bytes the byte loop is cheaper than setting up a 32-bit view.
const WORD_THRESHOLD = 64;
// Four mask bytes laid out in memory, read back as one 32-bit word in the machine's byte order.
const wordBytes = new Uint8Array(4);
const wordView = new Uint32Array(wordBytes.buffer);

/**
 * XORs `length` bytes of `source` starting at `sourceStart` into `target` at `targetStart`,
 * with the mask bytes starting at `maskOffset` (mod 4), so a payload can be unmasked in pieces
 * as it arrives. `target` may be `source` (in place). Returns the mask offset after the last
 * byte.
 *
 * Large runs are copied with one `set` (a memmove) and then XORed in place 32 bits at a time
 * over the 4-byte-aligned part of `target`, about four times faster than a byte loop.
 */
export function applyMask(
  source: Uint8Array,
  sourceStart: number,
  target: Uint8Array,
  targetStart: number,
  length: number,
  mask: Uint8Array,
  maskOffset = 0,
): number {
  if (length < WORD_THRESHOLD) {
    maskBytes(source, sourceStart, target, targetStart, length, mask, maskOffset & 3);
    return (maskOffset + length) & 3;
  }
  if (source !== target || sourceStart !== targetStart) {
    target.set(source.subarray(sourceStart, sourceStart + length), targetStart);
  }
  // Bytes before the first 4-byte boundary of the underlying buffer.
  const head = (4 - ((target.byteOffset + targetStart) & 3)) & 3;
  maskBytes(target, targetStart, target, targetStart, head, mask, maskOffset & 3);
  let k = (maskOffset + head) & 3;
  const words = (length - head) >>> 2;
  for (let j = 0; j < 4; j++) wordBytes[j] = mask[(k + j) & 3]!;
  const word = wordView[0]!;
  const view = new Uint32Array(target.buffer, target.byteOffset + targetStart + head, words);
  for (let w = 0; w < words; w++) view[w]! ^= word;
  const done = head + words * 4;
  k = (maskOffset + done) & 3;
  maskBytes(target, targetStart + done, target, targetStart + done, length - done, mask, k);
  return (maskOffset + length) & 3;
}

function maskBytes(
  source: Uint8Array,
  sourceStart: number,
  target: Uint8Array,
  targetStart: number,
  length: number,
  mask: Uint8Array,
  maskIndex: number,
): void {
  const m0 = mask[0]!;
  const m1 = mask[1]!;
  const m2 = mask[2]!;
  const m3 = mask[3]!;
  let i = 0;
  let k = maskIndex;
  // Align on the mask so the main loop can unroll by four with fixed mask bytes.
  while (k !== 0 && i < length) {
    target[targetStart + i] = source[sourceStart + i]! ^ mask[k]!;
    i++;
    k = (k + 1) & 3;
  }
  const end4 = i + ((length - i) & ~3);
  for (; i < end4; i += 4) {
    const s = sourceStart + i;
    const t = targetStart + i;
    target[t] = source[s]! ^ m0;
    target[t + 1] = source[s + 1]! ^ m1;
    target[t + 2] = source[s + 2]! ^ m2;
    target[t + 3] = source[s + 3]! ^ m3;
  }
  for (; i < length; i++) {
    target[targetStart + i] = source[sourceStart + i]! ^ mask[k]!;
    k = (k + 1) & 3;
  }
}

/**
 * Returns `data` masked (or unmasked) with the 4-byte `mask`, as a new buffer.
 *
 * @see Tornado `tornado.websocket._websocket_mask`
 */
export function websocketMask(mask: Uint8Array, data: Uint8Array): Buffer {
  if (mask.length !== 4) throw new RangeError(`a websocket mask has 4 bytes, got ${mask.length}`);
  const out = Buffer.allocUnsafe(data.length);
  applyMask(data, 0, out, 0, data.length, mask);
  return out;
}

const POOL_SIZE = 8192;
let pool = Buffer.alloc(0);
let poolOffset = POOL_SIZE;

/**
 * A fresh, unpredictable 4-byte masking key from the system CSPRNG (RFC 6455 §10.3 requires the
 * key to be unpredictable). Keys are cut from a pooled random block to avoid a system call per
 * frame; each call returns its own copy.
 *
 * @see Tornado `WebSocketProtocol13._write_frame` (`os.urandom(4)`)
 */
export function randomMaskKey(): Uint8Array {
  if (poolOffset + 4 > POOL_SIZE) {
    pool = Buffer.allocUnsafe(POOL_SIZE);
    randomFillSync(pool);
    poolOffset = 0;
  }
  const key = new Uint8Array(pool.subarray(poolOffset, poolOffset + 4));
  poolOffset += 4;
  return key;
}
