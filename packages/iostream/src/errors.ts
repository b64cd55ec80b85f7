/**
 * The error classes of the stream half of `@tronada/iostream`. Each has a stable `code`; the
 * error that closed a stream travels as the `cause` of {@link StreamClosedError}.
 */
import { TronadaError } from '@tronada/ioloop';

function describeCause(cause: unknown): string {
  if (cause === undefined || cause === null) return '';
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return ` (${typeof code === 'string' ? `${code}: ` : ''}${cause.message})`;
  }
  return ` (${String(cause)})`;
}

/**
 * An operation on a closed stream, or a read or write that was pending when the stream closed.
 *
 * `realError` (the same as `cause`) is the error that closed the stream, or `undefined` when it
 * closed cleanly (the peer hung up, or `close()` was called without an error).
 *
 * @see Tornado `tornado.iostream.StreamClosedError`
 */
export class StreamClosedError extends TronadaError {
  override readonly name = 'StreamClosedError';
  readonly code = 'ERR_STREAM_CLOSED';

  constructor(options?: { cause?: unknown }) {
    const cause = options?.cause ?? undefined;
    super(`Stream is closed${describeCause(cause)}`, cause === undefined ? undefined : { cause });
  }

  /** The error that closed the stream (`cause`), if any. @see Tornado `StreamClosedError.real_error` */
  get realError(): unknown {
    return this.cause;
  }
}

/**
 * A `readUntil` or `readUntilRegex` with `maxBytes` did not find its delimiter within that many
 * bytes. The stream closes with this error; the pending read fails with a
 * {@link StreamClosedError} whose `realError` is this error.
 *
 * @see Tornado `tornado.iostream.UnsatisfiableReadError`
 */
export class UnsatisfiableReadError extends TronadaError {
  override readonly name = 'UnsatisfiableReadError';
  readonly code = 'ERR_UNSATISFIABLE_READ';
  /** The `maxBytes` limit that was exceeded. */
  readonly maxBytes: number;

  constructor(what: string, maxBytes: number) {
    super(
      `${what} not found within ${maxBytes} bytes; raise maxBytes or check what the peer sends`,
    );
    this.maxBytes = maxBytes;
  }
}

/**
 * A buffer limit was reached. Thrown synchronously by `write()` when the data would exceed
 * `maxWriteBufferSize`; on the read side it is the `realError` of a stream closed because a
 * pending read needed more than `maxBufferSize` bytes buffered.
 *
 * @see Tornado `tornado.iostream.StreamBufferFullError`
 */
export class StreamBufferFullError extends TronadaError {
  override readonly name = 'StreamBufferFullError';
  readonly code = 'ERR_STREAM_BUFFER_FULL';
  /** Which limit: `'read'` (`maxBufferSize`) or `'write'` (`maxWriteBufferSize`). */
  readonly side: 'read' | 'write';
  /** The limit in bytes. */
  readonly limit: number;

  constructor(side: 'read' | 'write', limit: number) {
    super(
      side === 'read'
        ? `Reached maximum read buffer size (maxBufferSize ${limit} bytes); raise maxBufferSize or read in smaller pieces (readBytes with partial, or a streamingCallback)`
        : `Reached maximum write buffer size (maxWriteBufferSize ${limit} bytes); wait for the Future of earlier writes before writing more`,
    );
    this.side = side;
    this.limit = limit;
  }
}

/**
 * A read was started while another read on the same stream was still pending. A stream serves
 * one read at a time; wait for the first read's Future before starting the next.
 *
 * @see Tornado `BaseIOStream._start_read` (`AssertionError("Already reading")`)
 */
export class AlreadyReadingError extends TronadaError {
  override readonly name = 'AlreadyReadingError';
  readonly code = 'ERR_ALREADY_READING';

  constructor() {
    super('Already reading: wait for the pending read on this stream before starting another');
  }
}

/**
 * `startTls()` was called on a stream that is not idle: a read or write is pending, data is
 * buffered, a connect is in progress, or the stream is closed.
 *
 * @see Tornado `IOStream.start_tls` (`ValueError`)
 */
export class StreamNotIdleError extends TronadaError {
  override readonly name = 'StreamNotIdleError';
  readonly code = 'ERR_STREAM_NOT_IDLE';

  constructor() {
    super(
      'IOStream is not idle; cannot convert to SSL: call startTls() right after the last clear-text read or write completed, with nothing buffered',
    );
  }
}

/**
 * `waitForHandshake()` was called while an earlier call on the same stream is still waiting.
 *
 * @see Tornado `SSLIOStream.wait_for_handshake` (`RuntimeError("Already waiting")`)
 */
export class HandshakeAlreadyAwaitedError extends TronadaError {
  override readonly name = 'HandshakeAlreadyAwaitedError';
  readonly code = 'ERR_HANDSHAKE_ALREADY_AWAITED';

  constructor() {
    super(
      'Already waiting for the TLS handshake: await the Future of the first waitForHandshake()',
    );
  }
}
