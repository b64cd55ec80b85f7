/**
 * SocketTransport: the {@link Transport} over a Node socket (`net.Socket`, `tls.TLSSocket`, or a
 * pipe opened as a `net.Socket`).
 */
import type { Duplex } from 'node:stream';
import type { Transport, TransportSink } from './transport.js';

const ignore = (): void => {};
const EMPTY = Buffer.alloc(0);

/** A socket, or any Duplex with the optional socket extras. */
export type SocketLike = Duplex & {
  readonly connecting?: boolean;
  setNoDelay?(noDelay?: boolean): unknown;
};

/**
 * Adapts a Node socket to the {@link Transport} seam. Writes go straight to `socket.write`
 * (whose callback fires once libuv handed the bytes to the kernel); pause and resume map to the
 * socket's flow control, so a paused stream stops reading from the kernel and the peer's writes
 * wait.
 */
export class SocketTransport implements Transport {
  /** The socket carried. */
  readonly socket: SocketLike;
  #sink: TransportSink | null = null;
  #onEnd = (): void => this.#sink?.end();
  #onError = (error: Error): void => this.#sink?.error(error);
  #onClose = (): void => this.#sink?.close();

  readonly #readable: boolean;

  /**
   * `readable: false` for a socket that is never read (the write end of a pipe), so that its
   * finished read side is not taken for the peer hanging up.
   */
  constructor(socket: SocketLike, options: { readable?: boolean } = {}) {
    this.socket = socket;
    this.#readable = options.readable ?? true;
    // Never let an 'error' event go unheard (Node would throw it), even after detach().
    socket.on('error', ignore);
  }

  attach(sink: TransportSink): void {
    this.#sink = sink;
    const socket = this.socket;
    socket.on('data', sink.data);
    socket.on('end', this.#onEnd);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
    const ended = this.#readable && socket.readableEnded;
    if (socket.destroyed || ended) {
      // Closed before we were attached: report it once the caller had a chance to set up.
      process.nextTick(() => {
        if (this.#sink !== sink) return;
        if (socket.errored) sink.error(socket.errored);
        else if (ended) sink.end();
        else sink.close();
      });
    }
  }

  detach(): void {
    const sink = this.#sink;
    if (sink === null) return;
    this.#sink = null;
    const socket = this.socket;
    socket.off('data', sink.data);
    socket.off('end', this.#onEnd);
    socket.off('error', this.#onError);
    socket.off('close', this.#onClose);
  }

  write(data: Uint8Array | string, done: (error?: Error | null) => void): boolean {
    const socket = this.socket;
    if (socket.writableLength > 0 || !socket.writable || socket.connecting === true) {
      socket.write(data, done);
      return false;
    }
    // Node hands a write to the kernel at once when it can (libuv tries the write before
    // queueing it), and then its byte count leaves writableLength before write() returns. Such
    // writes need no completion callback, which saves Node's per-write callback machinery.
    socket.write(data);
    if (socket.writableLength === 0) return true;
    // Queued after all: an empty write's callback tells when it (and all before it) went out.
    socket.write(EMPTY, done);
    return false;
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  destroy(): void {
    this.socket.destroy();
  }

  end(): void {
    const socket = this.socket;
    if (socket.destroyed) return;
    socket.once('finish', () => socket.destroy());
    socket.end();
  }

  setNoDelay(value: boolean): void {
    // Only TCP sockets have it; on a closed socket Node ignores it.
    if (typeof this.socket.setNoDelay === 'function' && !this.socket.destroyed) {
      this.socket.setNoDelay(value);
    }
  }
}
