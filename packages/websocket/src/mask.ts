/**
 * Websocket masking (RFC 6455 §5.3): payload byte i is XORed with byte i mod 4 of the frame's
 * 4-byte masking key. Masking and unmasking are the same operation.
 */
import { randomFillSync } from 'node:crypto';

/**
 * XORs `length` bytes of `source` starting at `sourceStart` into `target` at `targetStart`,
 * with the mask bytes starting at `maskOffset` (mod 4), so a payload can be unmasked in pieces
 * as it arrives. `target` may be `source` (in place). Returns the mask offset after the last
 * byte.
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
  const m0 = mask[0]!;
  const m1 = mask[1]!;
  const m2 = mask[2]!;
  const m3 = mask[3]!;
  let i = 0;
  let k = maskOffset & 3;
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
  return (maskOffset + length) & 3;
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
