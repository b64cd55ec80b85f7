/**
 * The seam between a stream and what carries its bytes: the few things a Node socket offers
 * (write with a completion callback, pause and resume reading, destroy, and the data / end /
 * error / close events). `BaseIOStream` holds a Transport, so it runs unchanged over a socket,
 * a TLS socket, a pipe, or the in-memory pair used by tests.
 */

/**
 * Where a transport delivers its events (called as methods of the sink). A transport has at
 * most one sink at a time.
 */
export interface TransportSink {
  /** Bytes arrived. The sink owns `chunk` from now on; the transport must not reuse it. */
  data(chunk: Buffer): void;
  /** The peer finished sending (end of file). No `data` follows. */
  end(): void;
  /** The transport failed. It is closed or about to close. */
  error(error: Error): void;
  /** The transport closed (after `destroy()`, or on its own). */
  close(): void;
  /**
   * The oldest write for which `write` returned false reached the operating system (`null`),
   * or could not (the error). Reported once per such write, in order, never synchronously, and
   * also after `detach()` to the sink the write was made under.
   */
  written(error: Error | null): void;
}

/**
 * Carries a stream's bytes.
 *
 * @see Tornado `BaseIOStream.read_from_fd` / `write_to_fd` / `close_fd` (the subclass hooks this replaces)
 */
export interface Transport {
  /** Starts delivering events to `sink` (data flows until {@link pause}). */
  attach(sink: TransportSink): void;
  /** Stops delivering events without closing the underlying resource (used by `startTls`). */
  detach(): void;
  /**
   * Sends `data`. Returns true when it was handed to the operating system before returning
   * (together with everything written before it), or taken into a batch the transport hands
   * over at the end of the event loop round and before anything else it does (a failure is then
   * an `error` event, as a send failing in the kernel). Otherwise returns false and reports the
   * write to the sink's `written` once it went out (or failed).
   */
  write(data: Uint8Array | string): boolean;
  /** Stops delivering `data` (backpressure): the peer's writes wait. */
  pause(): void;
  /** Delivers `data` again after {@link pause}. */
  resume(): void;
  /** Closes at once, dropping unsent data. Delivers no more events. Idempotent. */
  destroy(): void;
  /**
   * Closes once the bytes already written were sent (their callbacks then run as usual), like
   * `socket.end()` followed by `destroy()`. Delivers no more events.
   */
  end(): void;
  /** Turns Nagle's algorithm off (`true`) or on, where that means something (TCP). */
  setNoDelay?(value: boolean): void;
}
