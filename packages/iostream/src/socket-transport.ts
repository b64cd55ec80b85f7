/**
 * SocketTransport: the {@link Transport} over a Node socket (`net.Socket`, `tls.TLSSocket`, or a
 * pipe opened as a `net.Socket`).
 */
import type { Duplex } from 'node:stream';
import type { Transport, TransportSink } from './transport.js';
import { type BatchedWriter, flushAfterRound, startsBatch, WriteBatch } from './write-batch.js';

/** Where a socket keeps its transport, for the shared listeners. */
const TRANSPORT = Symbol('tronada.transport');
const EMPTY = Buffer.alloc(0);

type EndListener = (this: SocketLike) => void;
/**
 * The 'end' listener a socket has of its own when attached (for a `net.Socket`, Node's, which
 * stops writes if the socket does not allow half-open connections), learnt from the first
 * socket attached with exactly one; see `SocketTransport.#listenEnd`.
 */
let ownEndListener: EndListener | null = null;

/** A socket, or any Duplex with the optional socket extras. */
export type SocketLike = Duplex & {
  readonly connecting?: boolean;
  setNoDelay?(noDelay?: boolean): unknown;
};

/**
 * Adapts a Node socket to the {@link Transport} seam.
 *
 * Writing. While the process is busy (rounds of the event loop carrying several writes, see
 * `write-batch.ts`), a small write on a socket with nothing queued is taken into a batch that
 * is written at the end of the round, together with the other small writes of the round, and
 * counts as handed to the kernel at once: the batch is always written
 * before anything else happens to the socket (a larger write, `end`, `destroy`, the peer's end
 * of file), and a failure to write it is an 'error' of the socket, as a send failing in the
 * kernel would be. Larger writes go straight to `socket.write`, whose callback fires once libuv
 * handed the bytes to the kernel.
 *
 * Reading. Pause and resume map to the socket's flow control, so a paused stream stops reading
 * from the kernel and the peer's writes wait.
 */
export class SocketTransport implements Transport, BatchedWriter {
  /** The socket carried. */
  readonly socket: SocketLike;
  #sink: TransportSink | null = null;
  // Where completions of queued writes go: kept across detach(), since a stream closing with
  // writes in flight still waits for them.
  #writeSink: TransportSink | null = null;
  #onWritten: ((error?: Error | null) => void) | null = null;

  readonly #readable: boolean;
  // The small writes of this round, not yet given to the socket.
  #batch: WriteBatch | null = null;

  // The socket's listeners are shared by every transport and find theirs through the socket:
  // an idle connection then carries no closures of its own.
  static #sinkOf(socket: SocketLike): TransportSink | null {
    const transport = (socket as SocketLike & { [TRANSPORT]?: SocketTransport })[TRANSPORT];
    return transport === undefined ? null : transport.#sink;
  }

  static readonly #onData = function (this: SocketLike, chunk: Buffer): void {
    SocketTransport.#sinkOf(this)?.data(chunk);
  };

  // The batch goes out at the end of file, before Node ends the writing side of a socket that
  // does not allow half-open connections (on the next tick).
  static readonly #onEnd = function (this: SocketLike): void {
    const transport = (this as SocketLike & { [TRANSPORT]?: SocketTransport })[TRANSPORT];
    if (transport === undefined) return;
    transport.flushBatch();
    transport.#sink?.end();
  };

  // #onEnd in place of the socket's own 'end' listener, which it then calls.
  static readonly #onEndThenOwn = function (this: SocketLike): void {
    SocketTransport.#onEnd.call(this);
    ownEndListener!.call(this);
  };

  /**
   * Listens to 'end', ahead of the socket's own listeners. A socket with one 'end' listener
   * keeps it in a plain slot and a second would make that slot an array (about 64 bytes per
   * idle connection), so when that one listener is the usual one (Node's), #onEndThenOwn takes
   * its place and calls it; otherwise #onEnd is prepended.
   */
  static #listenEnd(socket: SocketLike): void {
    if (socket.listenerCount('end') === 1) {
      const own = socket.rawListeners('end')[0] as EndListener;
      ownEndListener ??= own;
      if (own === ownEndListener) {
        socket.off('end', own);
        socket.on('end', SocketTransport.#onEndThenOwn);
        return;
      }
    }
    socket.prependListener('end', SocketTransport.#onEnd);
  }

  /** Undoes {@link #listenEnd}: the socket's own listener is back in its place. */
  static #unlistenEnd(socket: SocketLike): void {
    if (socket.rawListeners('end').includes(SocketTransport.#onEndThenOwn)) {
      socket.off('end', SocketTransport.#onEndThenOwn);
      socket.prependListener('end', ownEndListener!);
    } else {
      socket.off('end', SocketTransport.#onEnd);
    }
  }

  static readonly #onError = function (this: SocketLike, error: Error): void {
    SocketTransport.#sinkOf(this)?.error(error);
  };

  static readonly #onClose = function (this: SocketLike): void {
    SocketTransport.#sinkOf(this)?.close();
  };

  /**
   * `readable: false` for a socket that is never read (the write end of a pipe), so that its
   * finished read side is not taken for the peer hanging up.
   */
  constructor(socket: SocketLike, options: { readable?: boolean } = {}) {
    this.socket = socket;
    this.#readable = options.readable ?? true;
    // Never let an 'error' event go unheard (Node would throw it): the shared listener reports
    // it to the attached sink, and ignores it before attach() and after detach(). A socket
    // handed from one transport to the next keeps the one listener.
    const carried = socket as SocketLike & { [TRANSPORT]?: SocketTransport };
    if (carried[TRANSPORT] === undefined) socket.on('error', SocketTransport.#onError);
    carried[TRANSPORT] = this;
  }

  attach(sink: TransportSink): void {
    this.#sink = sink;
    this.#writeSink = sink;
    const socket = this.socket;
    (socket as SocketLike & { [TRANSPORT]?: SocketTransport })[TRANSPORT] = this;
    socket.on('data', SocketTransport.#onData);
    SocketTransport.#listenEnd(socket);
    socket.on('close', SocketTransport.#onClose);
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
    socket.off('data', SocketTransport.#onData);
    SocketTransport.#unlistenEnd(socket);
    socket.off('close', SocketTransport.#onClose);
  }

  write(data: Uint8Array | string): boolean {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const batch = this.#batch;
    if (batch !== null) {
      if (batch.add(bytes)) return true;
      this.flushBatch();
    }
    const socket = this.socket;
    if (socket.writableLength > 0 || !socket.writable || socket.connecting === true) {
      socket.write(bytes, SocketTransport.#writtenCallback(this));
      return false;
    }
    if (startsBatch(bytes)) {
      this.#batch = new WriteBatch(bytes);
      flushAfterRound(this);
      return true;
    }
    // Node hands a write to the kernel at once when it can (libuv tries the write before
    // queueing it), and then its byte count leaves writableLength before write() returns. Such
    // writes need no completion callback, which saves Node's per-write callback machinery.
    socket.write(bytes);
    if (socket.writableLength === 0) return true;
    // Queued after all: an empty write's callback tells when it (and all before it) went out.
    socket.write(EMPTY, SocketTransport.#writtenCallback(this));
    return false;
  }

  /**
   * The completion callback of queued writes, made on the first one. (Static, as every private
   * method here: a class with instance ones gives each instance a slot more.)
   */
  static #writtenCallback(transport: SocketTransport): (error?: Error | null) => void {
    transport.#onWritten ??= (error) => transport.#writeSink?.written(error ?? null);
    return transport.#onWritten;
  }

  /** Gives the batch to the socket (in one write). */
  flushBatch(): void {
    const batch = this.#batch;
    if (batch === null) return;
    this.#batch = null;
    this.socket.write(batch.join());
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  // A closing socket keeps our listeners (shared functions that find no sink now): removing
  // them from a socket about to be freed would only cost time.
  destroy(): void {
    this.#sink = null;
    // The batch counts as sent: it goes out before the close, as bytes in the kernel would.
    // When the kernel takes it whole, the socket closes at once (the kernel sends the bytes,
    // then FIN, as for any write made before a close); otherwise the rest drains first.
    if (this.#batch !== null) {
      this.flushBatch();
      if (this.socket.writableLength > 0) {
        this.end();
        return;
      }
    }
    this.socket.destroy();
  }

  end(): void {
    this.#sink = null;
    const socket = this.socket;
    if (socket.destroyed) return;
    this.flushBatch();
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
