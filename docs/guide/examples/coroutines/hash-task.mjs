import { pbkdf2Sync } from 'node:crypto';

/** Runs in a worker thread: a slow, blocking key derivation. */
export function hashPassword(password) {
  return pbkdf2Sync(password, 'salt', 10_000, 32, 'sha256').toString('hex');
}
