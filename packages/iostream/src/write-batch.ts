/**
 * Write batching: small writes made while the event loop handles a round of I/O events are
 * handed to the kernel together, after that round — when the process is busy enough for that
 * to pay.
 *
 * A server answering many connections at once otherwise sends each answer the moment it is
 * ready, and each send may have to wake the peer's process on its own; sent after the round,
 * the answers wake a waiting peer once. On a loaded server that saves a large part of the
 * system time per request (see the httpserver benchmark). The delay is one turn of the event
 * loop (a `setImmediate`).
 *
 * When rounds carry one write each (one conversation at a time, a request and its answer per
 * round), holding the write back only costs that turn. So writes go out at once until a round
 * is seen carrying several — every {@link PROBE_EVERY}th write made at once checks the end of
 * its round — and are held back from then on, until {@link QUIET_ROUNDS} rounds in a row
 * carried one writer each.
 */

/** Something holding writes back until the end of the round. */
export interface BatchedWriter {
  /** Hands the held-back writes to the kernel (called once per round it asked for). */
  flushBatch(): void;
}

/** Writes up to this size may wait for the end of the event loop round. */
const BATCHED_WRITE_MAX = 16 * 1024;
/** Held-back bytes of one writer past which it writes at once. */
const BATCH_MAX = 64 * 1024;

/**
 * The small writes one writer holds back in a round, written together by its `flushBatch`.
 * Made by the first of them (see {@link startsBatch}), so an idle writer holds one empty field.
 */
export class WriteBatch {
  readonly #chunks: Uint8Array[];
  #bytes: number;

  constructor(first: Uint8Array) {
    this.#chunks = [first];
    this.#bytes = first.length;
  }

  /** Takes `bytes` in when they are small and the batch has room; false otherwise. */
  add(bytes: Uint8Array): boolean {
    if (bytes.length > BATCHED_WRITE_MAX || this.#bytes + bytes.length > BATCH_MAX) return false;
    this.#chunks.push(bytes);
    this.#bytes += bytes.length;
    return true;
  }

  /** The held bytes as one write. */
  join(): Uint8Array {
    const chunks = this.#chunks;
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }
}

/**
 * Whether a write of `bytes` on an idle writer should start a batch (then the writer keeps a
 * {@link WriteBatch} and calls {@link flushAfterRound}) rather than go out at once.
 */
export function startsBatch(bytes: Uint8Array): boolean {
  return bytes.length <= BATCHED_WRITE_MAX && holdSmallWrites();
}

/** Every how many writes made at once one checks whether its round carried others. */
const PROBE_EVERY = 16;
/** Rounds in a row with a single writer after which writes go out at once again. */
const QUIET_ROUNDS = 16;

let holding = false;
let waiting: BatchedWriter[] = [];
let scheduled = false;
let exitHooked = false;
// Writes made at once until the next one checks its round; whether a check is pending, and the
// writes made at once in the round checked.
let untilProbe = PROBE_EVERY;
let probing = false;
let writesInProbedRound = 0;
let quietRounds = 0;

function flushAll(): void {
  scheduled = false;
  const writers = waiting;
  waiting = [];
  if (writers.length > 1) quietRounds = 0;
  else if (++quietRounds >= QUIET_ROUNDS) holding = false;
  for (const writer of writers) writer.flushBatch();
}

function endOfProbedRound(): void {
  probing = false;
  if (writesInProbedRound > 1) {
    holding = true;
    quietRounds = 0;
  }
}

/**
 * Whether a small write on an idle socket should be held back to the end of the round (then
 * the writer calls {@link flushAfterRound}) rather than written at once.
 */
export function holdSmallWrites(): boolean {
  if (holding) return true;
  if (probing) {
    writesInProbedRound++;
  } else if (--untilProbe === 0) {
    untilProbe = PROBE_EVERY;
    probing = true;
    writesInProbedRound = 1;
    setImmediate(endOfProbedRound);
  }
  return false;
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
