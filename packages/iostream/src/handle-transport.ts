/**
 * HandleTransport: the {@link Transport} over a bare libuv TCP handle, for TCP streams on the
 * `'handle'` transport (see `TCPServerOptions.transport`), the default.
 *
 * It does what `net.Socket` does for a stream, without the `Duplex` around it: reads arrive
 * from the handle's `onread` and go straight to the sink; writes go to `writeBuffer`, which
 * libuv tries at once (so most writes need no completion callback); the end is a `shutdown`
 * after the queued writes, then `close`. Small writes are batched per event-loop round as on
 * {@link SocketTransport} (see `write-batch.ts`).
 *
 * Anything that needs a real socket (`IOStream.socket`, `fileno()`, `startTls`) gets one: the
 * handle then moves into a `net.Socket` made around it, as Node does with every connection it
 * accepts, and the transport carries on over that socket through a {@link SocketTransport}.
 */
import * as net from 'node:net';
import type {
  ConnectRequest,
  ShutdownRequest,
  TcpHandle,
  TcpWrap,
  WriteRequest,
} from './internal/tcp-wrap.js';
import { uvError } from './internal/tcp-wrap.js';
import type { SocketLike } from './socket-transport.js';
import { SocketTransport } from './socket-transport.js';
import type { Transport, TransportSink } from './transport.js';
import { type BatchedWriter, flushAfterRound, startsBatch, WriteBatch } from './write-batch.js';

/** Where a handle keeps its transport, for the shared callbacks. */
const TRANSPORT = Symbol('tronada.handleTransport');

// State bits.
const PAUSED = 1;
const ENDED = 2; // the peer's end of file arrived
const CLOSED = 4; // the handle is closing or closed
const SHUT = 8; // our end is shutting down (or will, once connected)
const CONNECTING = 16; // a client handle not connected yet

type CarriedHandle = TcpHandle & { [TRANSPORT]?: HandleTransport };

/** A closed handle's reader (the handle accepts only functions there). */
function ignoreRead(): void {}

/** What a write on a closed or ending transport fails with (as on a destroyed `net.Socket`). */
function writeAfterEndError(): Error {
  const error = new Error('Cannot call write after a stream was destroyed') as Error & {
    code: string;
  };
  error.code = 'ERR_STREAM_DESTROYED';
  return error;
}

/**
 * Adapts a libuv TCP handle to the {@link Transport} seam. Made by `TCPServer` for accepted
 * connections and by `IOStream.connect` / `TCPClient` for client ones (the `'handle'`
 * transport); not constructed by users.
 */
export class HandleTransport implements Transport, BatchedWriter {
  readonly #uv: TcpWrap;
  readonly #handle: CarriedHandle;
  #sink: TransportSink | null = null;
  // Where completions of asynchronous writes go: kept across detach() and destroy(), as on
  // SocketTransport.
  #writeSink: TransportSink | null = null;
  #state = 0;
  // Writes handed to libuv that have not completed (their order is libuv's queue order).
  #inFlight = 0;
  #batch: WriteBatch | null = null;
  // Set once the handle moved into a net.Socket: everything goes through it from then on.
  #moved: SocketTransport | null = null;
  // Writes made while connecting, sent once connected.
  #queued: Uint8Array[] | null = null;

  /** Carries `handle`, a connected TCP handle that nothing else reads or writes. */
  constructor(uv: TcpWrap, handle: TcpHandle) {
    this.#uv = uv;
    this.#handle = handle;
    this.#handle[TRANSPORT] = this;
  }

  /**
   * A transport on a new client handle, to be connected with {@link connect}. Until then it
   * takes writes (sent once connected) and delivers nothing.
   */
  static unconnected(uv: TcpWrap): HandleTransport {
    const transport = new HandleTransport(uv, new uv.TCP(uv.socketType));
    transport.#state |= CONNECTING;
    return transport;
  }

  /** True from {@link unconnected} until the connection is made (or the transport closed). */
  get connecting(): boolean {
    return (this.#state & (CONNECTING | CLOSED)) === CONNECTING;
  }

  /**
   * Connects to `host` (an IP address) and `port`, from `localAddress`/`localPort` when given;
   * `connected()` runs once connected. A failure (e.g. `connect ECONNREFUSED 127.0.0.1:80`) is
   * an `error` of the sink, as on a socket.
   */
  connect(
    host: string,
    port: number,
    local: { localAddress?: string | undefined; localPort?: number | undefined },
    connected: () => void,
  ): void {
    const handle = this.#handle;
    const v6 = net.isIPv6(host);
    let status = 0;
    let failure: { syscall: string; address: string; port: number } | null = null;
    if (local.localAddress !== undefined || local.localPort !== undefined) {
      const address = local.localAddress ?? (v6 ? '::' : '0.0.0.0');
      const localPort = local.localPort ?? 0;
      status = v6 ? handle.bind6(address, localPort, 0) : handle.bind(address, localPort);
      if (status !== 0) failure = { syscall: 'bind', address, port: localPort };
    }
    if (failure === null) {
      const request = new this.#uv.TCPConnectWrap();
      request.oncomplete = HandleTransport.#onConnect;
      request.address = host;
      request.port = port;
      request.connected = connected;
      status = v6 ? handle.connect6(request, host, port) : handle.connect(request, host, port);
      if (status !== 0) failure = { syscall: 'connect', address: host, port };
    }
    if (failure !== null) {
      const { syscall, address, port: at } = failure;
      const error = uvError(status, syscall, { address, port: at });
      process.nextTick(() => {
        if ((this.#state & CLOSED) === 0) HandleTransport.#failed(this, error);
      });
    }
  }

  static readonly #onConnect = function (
    this: ConnectRequest,
    status: number,
    handle: TcpHandle,
  ): void {
    const transport = (handle as CarriedHandle)[TRANSPORT]!;
    // Closed while connecting: libuv cancelled the request.
    if ((transport.#state & CLOSED) !== 0) return;
    if (status !== 0) {
      const target = { address: this.address, port: this.port };
      HandleTransport.#failed(transport, uvError(status, 'connect', target));
      return;
    }
    transport.#state &= ~CONNECTING;
    if (transport.#sink !== null && (transport.#state & PAUSED) === 0) {
      handle.onread = HandleTransport.#onRead;
      handle.readStart();
    }
    const queued = transport.#queued;
    transport.#queued = null;
    if (queued !== null) {
      for (const bytes of queued) {
        // Each of these returned false: its completion is reported either way.
        if (HandleTransport.#send(transport, bytes, HandleTransport.#onWritten)) {
          transport.#writeSink?.written(null);
        }
      }
    }
    if ((transport.#state & SHUT) !== 0) HandleTransport.#shutdown(transport);
    else this.connected();
  };

  /** The handle's bytes arrived (or its end of file, or a read error). */
  static readonly #onRead = function (this: CarriedHandle, arrayBuffer: ArrayBuffer | undefined) {
    const transport = this[TRANSPORT];
    if (transport === undefined || transport.#moved !== null) return;
    const { state, readBytesOrError, arrayBufferOffset } = transport.#uv;
    const count = state[readBytesOrError]!;
    if (count > 0) {
      transport.#sink?.data(Buffer.from(arrayBuffer!, state[arrayBufferOffset]!, count));
    } else if (count < 0) {
      HandleTransport.#readEnded(transport, count);
    }
  };

  static #readEnded(transport: HandleTransport, status: number): void {
    if (status === transport.#uv.eof) {
      transport.#state |= ENDED;
      transport.#handle.readStop();
      // The batch goes out before the stream hears of the end (and may close).
      transport.flushBatch();
      transport.#sink?.end();
      return;
    }
    transport.#sink?.error(uvError(status, 'read'));
    HandleTransport.#close(transport);
  }

  /** An asynchronous write completed: report it to the sink it was made under. */
  static readonly #onWritten = function (this: WriteRequest, status: number): void {
    const transport = (this.handle as CarriedHandle)[TRANSPORT]!;
    transport.#inFlight--;
    transport.#writeSink?.written(status < 0 ? uvError(status, 'write') : null);
  };

  /** The batch's write completed: it counted as sent, so only a failure is news. */
  static readonly #onBatchWritten = function (this: WriteRequest, status: number): void {
    const transport = (this.handle as CarriedHandle)[TRANSPORT]!;
    transport.#inFlight--;
    if (status < 0) HandleTransport.#failed(transport, uvError(status, 'write'));
  };

  static readonly #onShutdown = function (this: ShutdownRequest): void {
    HandleTransport.#close((this.handle as CarriedHandle)[TRANSPORT]!);
  };

  /** The handle failed: tell the sink and close. */
  static #failed(transport: HandleTransport, error: Error): void {
    transport.#sink?.error(error);
    HandleTransport.#close(transport);
  }

  /** Closes the handle once; the sink (if still attached) hears `close` after it closed. */
  static #close(transport: HandleTransport): void {
    if ((transport.#state & CLOSED) !== 0) return;
    transport.#state |= CLOSED;
    HandleTransport.#dropQueued(transport);
    const handle = transport.#handle;
    handle.onread = ignoreRead;
    handle.close(() => transport.#sink?.close());
  }

  /**
   * Hands `bytes` to libuv. True when they went out within the call; otherwise the completion
   * goes to `onComplete` (or, if the write failed at once, to the sink a turn later).
   */
  static #send(
    transport: HandleTransport,
    bytes: Uint8Array,
    onComplete: (this: WriteRequest, status: number) => void,
  ): boolean {
    const uv = transport.#uv;
    const request = new uv.WriteWrap();
    request.handle = transport.#handle;
    request.oncomplete = onComplete;
    request.async = false;
    request.buffer = null;
    const status = transport.#handle.writeBuffer(request, bytes);
    if (status !== 0) {
      // Failed before reaching the kernel: report it as libuv would, a turn later.
      transport.#inFlight++;
      process.nextTick(() => onComplete.call(request, status));
      return false;
    }
    if (uv.state[uv.lastWriteWasAsync] === 0) return true;
    request.async = true;
    // Keeps the bytes alive until libuv wrote them.
    request.buffer = bytes;
    transport.#inFlight++;
    return false;
  }

  attach(sink: TransportSink): void {
    if (this.#moved !== null) {
      this.#moved.attach(sink);
      return;
    }
    this.#sink = sink;
    this.#writeSink = sink;
    const state = this.#state;
    if ((state & (CLOSED | ENDED)) !== 0) {
      // Closed or ended before we were attached: report it once the caller had a chance to
      // set up.
      process.nextTick(() => {
        if (this.#sink !== sink) return;
        if ((state & CLOSED) !== 0) sink.close();
        else sink.end();
      });
      return;
    }
    if ((state & CONNECTING) !== 0) return;
    this.#handle.onread = HandleTransport.#onRead;
    if ((state & PAUSED) === 0) this.#handle.readStart();
  }

  detach(): void {
    if (this.#moved !== null) {
      this.#moved.detach();
      return;
    }
    if (this.#sink === null) return;
    this.#sink = null;
    // Nobody would hear what arrives now: leave it in the kernel.
    if ((this.#state & (CLOSED | ENDED | CONNECTING)) === 0) this.#handle.readStop();
  }

  write(data: Uint8Array | string): boolean {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (this.#moved !== null) return HandleTransport.#writeMoved(this, this.#moved, bytes);
    const batch = this.#batch;
    if (batch !== null) {
      if (batch.add(bytes)) return true;
      this.flushBatch();
    }
    if ((this.#state & (CLOSED | SHUT)) !== 0) {
      const error = writeAfterEndError();
      this.#inFlight++;
      process.nextTick(() => {
        this.#inFlight--;
        this.#writeSink?.written(error);
      });
      return false;
    }
    if ((this.#state & CONNECTING) !== 0) {
      if (this.#queued === null) this.#queued = [bytes];
      else this.#queued.push(bytes);
      return false;
    }
    if (this.#inFlight === 0 && startsBatch(bytes)) {
      this.#batch = new WriteBatch(bytes);
      flushAfterRound(this);
      return true;
    }
    // Behind a write still in flight, libuv queues this one too (it does not try it at once).
    return HandleTransport.#send(this, bytes, HandleTransport.#onWritten);
  }

  /**
   * A write after the handle moved into a socket. While writes made on the handle are still in
   * flight, this one completes after them and says so through its own callback.
   */
  static #writeMoved(
    transport: HandleTransport,
    moved: SocketTransport,
    bytes: Uint8Array,
  ): boolean {
    if (transport.#inFlight === 0) return moved.write(bytes);
    moved.socket.write(bytes, (error?: Error | null) => {
      transport.#writeSink?.written(error ?? null);
    });
    return false;
  }

  /** Gives the batch to libuv (in one write). */
  flushBatch(): void {
    const batch = this.#batch;
    if (batch === null) return;
    this.#batch = null;
    if ((this.#state & CLOSED) !== 0) return;
    const bytes = batch.join();
    HandleTransport.#send(this, bytes, HandleTransport.#onBatchWritten);
  }

  pause(): void {
    if (this.#moved !== null) {
      this.#moved.pause();
      return;
    }
    if ((this.#state & PAUSED) !== 0) return;
    this.#state |= PAUSED;
    if ((this.#state & (CLOSED | ENDED | CONNECTING)) === 0) this.#handle.readStop();
  }

  resume(): void {
    if (this.#moved !== null) {
      this.#moved.resume();
      return;
    }
    if ((this.#state & PAUSED) === 0) return;
    this.#state &= ~PAUSED;
    if (this.#sink !== null && (this.#state & (CLOSED | ENDED | CONNECTING)) === 0) {
      this.#handle.readStart();
    }
  }

  destroy(): void {
    if (this.#moved !== null) {
      this.#moved.destroy();
      return;
    }
    this.#sink = null;
    HandleTransport.#dropQueued(this);
    // The batch counts as sent: it goes out before the close. If the kernel did not take it
    // whole, the rest drains first (a shutdown waits for it).
    if (this.#batch !== null) {
      this.flushBatch();
      if (this.#inFlight > 0) {
        this.end();
        return;
      }
    }
    HandleTransport.#close(this);
  }

  end(): void {
    if (this.#moved !== null) {
      this.#moved.end();
      return;
    }
    this.#sink = null;
    if ((this.#state & (CLOSED | SHUT)) !== 0) return;
    this.#state |= SHUT;
    if ((this.#state & CONNECTING) !== 0) {
      // Shut down once connected, after the writes made meanwhile; with none, just close.
      if (this.#queued === null) HandleTransport.#close(this);
      return;
    }
    this.flushBatch();
    HandleTransport.#shutdown(this);
  }

  /** Ends our side once the writes before it went out, then closes. */
  static #shutdown(transport: HandleTransport): void {
    const handle = transport.#handle;
    if ((transport.#state & ENDED) === 0) handle.readStop();
    const request = new transport.#uv.ShutdownWrap();
    request.handle = handle;
    request.oncomplete = HandleTransport.#onShutdown;
    // Non-zero: finished at once (1), or failed (not connected any more): close now.
    if (handle.shutdown(request) !== 0) HandleTransport.#close(transport);
  }

  /** Writes made while connecting fail (the transport closes before they could go out). */
  static #dropQueued(transport: HandleTransport): void {
    const queued = transport.#queued;
    if (queued === null) return;
    transport.#queued = null;
    const sink = transport.#writeSink;
    const error = writeAfterEndError();
    process.nextTick(() => {
      for (let i = 0; i < queued.length; i++) sink?.written(error);
    });
  }

  setNoDelay(value: boolean): void {
    if (this.#moved !== null) this.#moved.setNoDelay(value);
    // libuv keeps the setting of a handle not connected yet for when it is.
    else if ((this.#state & CLOSED) === 0) this.#handle.setNoDelay(value);
  }

  /**
   * The connection as a `net.Socket`: the handle moves into a socket made around it (once), and
   * the transport goes on over that socket. A transport already closed gives a destroyed socket;
   * one still connecting has none yet (this throws).
   */
  get socket(): net.Socket {
    if (this.connecting) {
      throw new Error('the stream is still connecting; its socket exists once it is connected');
    }
    if (this.#moved === null) this.#moved = HandleTransport.#moveToSocket(this);
    return this.#moved.socket as net.Socket;
  }

  static #moveToSocket(transport: HandleTransport): SocketTransport {
    transport.flushBatch();
    const handle = transport.#handle;
    const state = transport.#state;
    let socket: net.Socket;
    if ((state & CLOSED) !== 0) {
      socket = new net.Socket();
      socket.destroy();
    } else {
      if ((state & ENDED) === 0) handle.readStop();
      // Node's own way of wrapping an accepted handle (net.Server does the same).
      const options = { handle, readable: (state & ENDED) === 0, writable: (state & SHUT) === 0 };
      socket = new net.Socket(options as net.SocketConstructorOpts);
      if ((state & PAUSED) !== 0) socket.pause();
    }
    const moved = new SocketTransport(socket as SocketLike);
    const sink = transport.#sink;
    if (sink !== null) moved.attach(sink);
    return moved;
  }
}
