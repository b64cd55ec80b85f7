/**
 * A one-way pipe made on demand (Node has no `pipe()`): a FIFO in a fresh private directory,
 * opened at both ends and unlinked at once, so only the two descriptors remain.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The two descriptors of a pipe: bytes written to `writeFd` are read from `readFd`. */
export interface FifoPair {
  readonly readFd: number;
  readonly writeFd: number;
}

/**
 * Opens a new pipe. The read end is non-blocking (for a stream); the write end is blocking, as
 * a child process expects of its standard output. Both belong to the caller.
 */
export function openFifoPair(): FifoPair {
  const dir = mkdtempSync(join(tmpdir(), 'tronada-pipe-'));
  try {
    const path = join(dir, 'fifo');
    execFileSync('mkfifo', ['-m', '600', path]);
    // The read end first, non-blocking, so that opening the write end finds a reader.
    const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      return { readFd, writeFd: openSync(path, constants.O_WRONLY) };
    } catch (error) {
      closeSync(readFd);
      throw error;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
