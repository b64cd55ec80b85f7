/**
 * An in-memory pair of connected streams, for testing protocol code without sockets.
 *
 * Each endpoint behaves like one end of a TCP connection: bytes written on one side arrive on
 * the other in a later event-loop turn (one chunk per turn, chunks of at most `chunkSize`), a
 * write's Future resolves once the peer's receive buffer (`bufferSize`) accepted the bytes, so a
 * peer that stops reading pushes back on the writer, and closing one side delivers everything
 * already sent and then the end of the stream to the other.
 */
import type { IOStreamOptions } from './base-iostream.js';
import { BaseIOStream } from './base-iostream.js';
import { Fifo } from './internal/fifo.js';
import type { Transport, TransportSink } from './transport.js';

/** Options of {@link memoryStreamPair}. */
export interface MemoryStreamOptions extends IOStreamOptions {
  /** Bytes a receiving side holds before writers to it wait (a kernel's socket buffer); default 256 KiB. */
  bufferSize?: number | undefined;
  /** Largest chunk delivered at once (a socket read); default 64 KiB. */
  chunkSize?: number | undefined;
}

interface QueuedWrite {
  data: Buffer;
  /** Told when the write went out (the sink it was made under, even after a detach). */
  readonly sink: TransportSink | null;
}

function reportWritten(sink: TransportSink | null, error: Error | null): void {
  sink?.written(error);
}

function brokenPipe(): Error {
  return Object.assign(new Error('write EPIPE: the other end of the memory stream is closed'), {
    code: 'EPIPE',
  });
}

/** One end of an in-memory connection. */
class MemoryEndpoint implements Transport {
  peer: MemoryEndpoint | null = null;
  readonly #capacity: number;
  readonly #chunkSize: number;
  #sink: TransportSink | null = null;
  readonly #inbound = new Fifo<Buffer>();
  #inboundSize = 0;
  readonly #outgoing = new Fifo<QueuedWrite>();
  #paused = false;
  #destroyed = false;
  #ending = false;
  #peerGone = false;
  #endDelivered = false;
  #scheduled = false;

  constructor(capacity: number, chunkSize: number) {
    this.#capacity = capacity;
    this.#chunkSize = chunkSize;
  }

  attach(sink: TransportSink): void {
    this.#sink = sink;
    this.#schedule();
  }

  detach(): void {
    this.#sink = null;
  }

  write(data: Uint8Array | string): boolean {
    const sink = this.#sink;
    if (this.#destroyed || this.#peerGone) {
      const error = this.#destroyed ? new Error('write after destroy') : brokenPipe();
      setImmediate(reportWritten, sink, error);
      return false;
    }
    // Copied, as a kernel would: the writer may reuse its buffer once the write resolved.
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    this.#outgoing.push({ data: bytes, sink });
    this.transfer();
    return false;
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.#schedule();
  }

  end(): void {
    this.#sink = null;
    this.#ending = true;
    if (this.#outgoing.length === 0) this.destroy();
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#sink = null;
    for (const { sink } of this.#outgoing.drain())
      setImmediate(reportWritten, sink, new Error('destroyed'));
    this.#inbound.drain();
    this.#inboundSize = 0;
    this.peer?.peerClosed();
  }

  /** Moves this side's queued writes into the peer's receive buffer while it has room. */
  transfer(): void {
    const peer = this.peer;
    if (peer === null) return;
    for (let next = this.#outgoing.peek(); next !== undefined; next = this.#outgoing.peek()) {
      const taken = peer.accept(next.data);
      if (taken < next.data.length) {
        next.data = next.data.subarray(taken);
        break;
      }
      this.#outgoing.shift();
      // The whole write is in the peer's buffer: "handed to the kernel".
      setImmediate(reportWritten, next.sink, null);
    }
    if (this.#ending && this.#outgoing.length === 0) this.destroy();
  }

  /** Takes as much of `data` as the receive buffer has room for; returns how much. */
  accept(data: Buffer): number {
    const take = Math.min(data.length, this.#capacity - this.#inboundSize);
    if (take <= 0) return 0;
    for (let at = 0; at < take; at += this.#chunkSize) {
      this.#inbound.push(data.subarray(at, Math.min(take, at + this.#chunkSize)));
    }
    this.#inboundSize += take;
    this.#schedule();
    return take;
  }

  peerClosed(): void {
    this.#peerGone = true;
    for (const { sink } of this.#outgoing.drain()) setImmediate(reportWritten, sink, brokenPipe());
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || this.#sink === null || this.#paused) return;
    if (this.#inbound.length === 0 && !(this.#peerGone && !this.#endDelivered)) return;
    this.#scheduled = true;
    setImmediate(this.#deliver);
  }

  readonly #deliver = (): void => {
    this.#scheduled = false;
    const sink = this.#sink;
    if (sink === null || this.#paused || this.#destroyed) return;
    const chunk = this.#inbound.shift();
    if (chunk !== undefined) {
      this.#inboundSize -= chunk.length;
      sink.data(chunk);
      this.peer?.transfer();
    } else if (this.#peerGone && !this.#endDelivered) {
      this.#endDelivered = true;
      sink.end();
    }
    this.#schedule();
  };
}

/** The stream class of the in-memory pair. */
class MemoryIOStream extends BaseIOStream {
  fileno(): null {
    return null;
  }
}

/**
 * Two connected in-memory streams: what one writes, the other reads. Use it to test protocol
 * code (parsers, handlers) without sockets; it honours every stream option and models a
 * socket's chunking, flow control and end of stream.
 */
export function memoryStreamPair(options: MemoryStreamOptions = {}): [BaseIOStream, BaseIOStream] {
  const capacity = options.bufferSize ?? 256 * 1024;
  const chunkSize = Math.max(1, options.chunkSize ?? 64 * 1024);
  const a = new MemoryEndpoint(capacity, chunkSize);
  const b = new MemoryEndpoint(capacity, chunkSize);
  a.peer = b;
  b.peer = a;
  return [new MemoryIOStream(a, options), new MemoryIOStream(b, options)];
}
