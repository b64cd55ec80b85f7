/**
 * Write batching: small writes made while the event loop handles a round of I/O events are
 * handed to the kernel together, after that round.
 *
 * A server answering many connections at once otherwise sends each answer the moment it is
 * ready, and each send may have to wake the peer's process on its own; sent after the round,
 * the answers wake a waiting peer once. On a loaded server that saves a large part of the
 * system time per request (see the httpserver benchmark). The delay is one turn of the event
 * loop (a `setImmediate`).
 */

/** Something holding writes back until the end of the round. */
export interface BatchedWriter {
  /** Hands the held-back writes to the kernel (called once per round it asked for). */
  flushBatch(): void;
}

let waiting: BatchedWriter[] = [];
let scheduled = false;
let exitHooked = false;

function flushAll(): void {
  scheduled = false;
  const writers = waiting;
  waiting = [];
  for (const writer of writers) writer.flushBatch();
}

/** Calls `writer.flushBatch()` after the current round of I/O events. */
export function flushAfterRound(writer: BatchedWriter): void {
  waiting.push(writer);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flushAll);
  }
  if (!exitHooked) {
    // A program that writes and then calls process.exit() in the same round still sends what
    // it wrote: socket writes are tried synchronously, and 'exit' listeners run before exiting.
    exitHooked = true;
    process.on('exit', flushAll);
  }
}
