/**
 * Password hashing with scrypt (node:crypto). The hash records its parameters and salt, so
 * they can change later without breaking stored hashes. Blocking by design: it runs on the
 * database thread, never on the loop's.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** The scrypt cost (N) of new hashes by default: 2^14, Node's default. */
export const DEFAULT_PASSWORD_COST = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

/**
 * Hashes `password` with a fresh random salt: `scrypt$N$r$p$salt$key` (base64 parts). `cost`
 * is scrypt's N, a power of two; higher is slower for attackers and for us.
 */
export function hashPassword(password: string, cost = DEFAULT_PASSWORD_COST): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, KEY_LENGTH, { N: cost, r: R, p: P });
  return ['scrypt', cost, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `password` matches `stored` (a {@link hashPassword} result); constant-time. */
export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || key === undefined) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = scryptSync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}
