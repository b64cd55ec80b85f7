// A sketch of a stream Transport on a bare libuv TCP handle, for `below-net-socket.mjs`, which
// measures what `net.Socket` costs: it connects clients on handles too, which the shipped
// HandleTransport (src/handle-transport.ts, servers only) does not. The handles are Node
// internals, reached through `process.binding` (DEP0111). The sketch has no TLS, no mapping of
// libuv error codes, no half-close and no write batching.
import { BaseIOStream } from '../dist/index.js';

/** Node's internal TCP handle API (the calls `net.Socket` makes), loaded on first use. */
export function libuv() {
  const { TCP, TCPConnectWrap, constants } = process.binding('tcp_wrap');
  const { WriteWrap, streamBaseState, kReadBytesOrError, kArrayBufferOffset, kLastWriteWasAsync } =
    process.binding('stream_wrap');
  const ignore = () => {};
  return {
    TCP,
    constants,
    /**
     * Writes `bytes` on `handle` (libuv tries the write at once); true when it went out within
     * the call, else `done(status)` runs once it did.
     */
    write(handle, bytes, done = ignore) {
      const request = new WriteWrap();
      request.handle = handle;
      request.oncomplete = done;
      request.async = false;
      handle.writeBuffer(request, bytes);
      return streamBaseState[kLastWriteWasAsync] === 0;
    },
    /** Makes `onChunk(handle, chunk)` the handle's reader; a negative count is the end. */
    read(handle, onChunk) {
      handle.onread = function (arrayBuffer) {
        const count = streamBaseState[kReadBytesOrError];
        if (count < 0) return this.close();
        if (count > 0)
          onChunk(this, Buffer.from(arrayBuffer, streamBaseState[kArrayBufferOffset], count));
      };
      handle.readStart();
    },
    connect(port) {
      const handle = new TCP(constants.SOCKET);
      return new Promise((resolve, reject) => {
        const request = new TCPConnectWrap();
        request.oncomplete = (status) =>
          status === 0 ? resolve(handle) : reject(new Error(`connect: ${status}`));
        handle.connect(request, '127.0.0.1', port);
      });
    },
  };
}

/** A Tronada stream Transport on a bare handle: what IOStream would cost without net.Socket. */
export class HandleTransport {
  #uv;
  #handle;
  #sink = null;

  constructor(uv, handle) {
    this.#uv = uv;
    this.#handle = handle;
  }

  attach(sink) {
    this.#sink = sink;
    this.#uv.read(this.#handle, (_handle, chunk) => this.#sink?.data(chunk));
  }

  detach() {
    this.#sink = null;
  }

  write(data) {
    const sink = this.#sink;
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    return this.#uv.write(this.#handle, bytes, (status) =>
      sink?.written(status < 0 ? new Error(`write failed: ${status}`) : null),
    );
  }

  pause() {
    this.#handle.readStop();
  }

  resume() {
    this.#handle.readStart();
  }

  destroy() {
    const sink = this.#sink;
    this.#sink = null;
    this.#handle.close(() => sink?.close());
  }

  end() {
    this.destroy();
  }

  setNoDelay(value) {
    this.#handle.setNoDelay(value);
  }
}

/** A stream on a bare handle. */
export class HandleStream extends BaseIOStream {
  #handle;

  constructor(uv, handle) {
    super(new HandleTransport(uv, handle));
    this.#handle = handle;
  }

  fileno() {
    return this.#handle;
  }
}

/**
 * Listens on `port` (0: any) at 127.0.0.1 with a bare server handle and hands each accepted
 * handle, with TCP_NODELAY on, to `onHandle(handle)`; returns the port.
 */
export function listenOnHandles(uv, port, onHandle) {
  const server = new uv.TCP(uv.constants.SERVER);
  const failed = server.bind('127.0.0.1', port) || server.listen(511);
  if (failed) throw new Error(`listen failed: ${failed}`);
  server.onconnection = (status, handle) => {
    if (status !== 0) return;
    handle.setNoDelay(true);
    onHandle(handle);
  };
  const address = {};
  server.getsockname(address);
  return address.port;
}

/**
 * {@link listenOnHandles} handing each connection to `onStream(stream, address)` as a
 * HandleStream, with the peer address read at once (as TCPServer does); returns the port.
 */
export function serveOnHandles(port, onStream) {
  const uv = libuv();
  return listenOnHandles(uv, port, (handle) => {
    const peer = {};
    handle.getpeername(peer);
    const family = peer.family === 'IPv6' ? 6 : 4;
    onStream(new HandleStream(uv, handle), { address: peer.address, port: peer.port, family });
  });
}
