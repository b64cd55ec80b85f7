/**
 * Small helpers shared by the ioloop tests: a loop on a virtual clock that closes itself when the
 * test ends, a log capture, and a way to let Node run one turn of its event loop.
 */
import { setImmediate as turn } from 'node:timers/promises';
import type { LogRecord, NamedLogger } from '@tronada/ioloop';
import { IOLoop, VirtualClock } from '@tronada/ioloop';
import { onTestFinished } from 'vitest';

/** A fresh loop on a fresh virtual clock (starting at `start` seconds), closed after the test. */
export function virtualLoop(start = 0): { loop: IOLoop; clock: VirtualClock } {
  const clock = new VirtualClock(start);
  const loop = new IOLoop({ clock });
  onTestFinished(() => {
    loop.close();
    IOLoop.clearCurrent();
  });
  return { loop, clock };
}

/**
 * Collects (and consumes) every record `logger` emits during the test; the handler is removed
 * when the test ends.
 */
export function captureLog(logger: NamedLogger): LogRecord[] {
  const records: LogRecord[] = [];
  const remove = logger.addHandler((record) => {
    records.push(record);
    return true;
  });
  onTestFinished(remove);
  return records;
}

/** Waits for `n` turns of Node's event loop (each a `setImmediate`). */
export async function turns(n = 1): Promise<void> {
  for (let i = 0; i < n; i++) await turn();
}

/**
 * Runs `fn` with the process's unhandled-rejection listeners replaced by one that records the
 * reasons, then waits `settleTurns` event-loop turns so Node can report, and restores the
 * listeners. Used to check that Futures report (or do not report) lost failures.
 */
export async function collectUnhandledRejections(
  fn: () => void | Promise<void>,
  settleTurns = 3,
): Promise<unknown[]> {
  const saved = process.listeners('unhandledRejection');
  const seen: unknown[] = [];
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', (reason) => {
    seen.push(reason);
  });
  try {
    await fn();
    await turns(settleTurns);
  } finally {
    process.removeAllListeners('unhandledRejection');
    for (const listener of saved) process.on('unhandledRejection', listener);
  }
  return seen;
}
