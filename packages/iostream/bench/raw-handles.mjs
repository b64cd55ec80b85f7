// Raw libuv TCP handles, driven with no stream layer at all, for `below-net-socket.mjs`: the
// least a connection or a round trip can cost in Node. The handle interface is the one Tronada's
// handle transport uses (src/internal/tcp-wrap.ts, reached through the build); these helpers
// only add the bare calls an echo or a canned answer needs.
import * as net from 'node:net';
import { acceptHandles } from '../dist/internal/handle-accept.js';
import { tcpWrap } from '../dist/internal/tcp-wrap.js';

/** The handle interface with read, write, connect and listen helpers, or an error without it. */
export function libuv() {
  const uv = tcpWrap();
  if (uv === null) throw new Error('this Node offers no TCP handles');
  const ignore = () => {};
  return {
    /** Writes `bytes` on `handle` (libuv tries the write at once). */
    write(handle, bytes) {
      const request = new uv.WriteWrap();
      request.handle = handle;
      request.oncomplete = ignore;
      request.async = false;
      request.buffer = bytes;
      handle.writeBuffer(request, bytes);
    },
    /** Makes `onChunk(handle, chunk)` the handle's reader; the end or an error closes it. */
    read(handle, onChunk) {
      handle.onread = function (arrayBuffer) {
        const count = uv.state[uv.readBytesOrError];
        if (count < 0) {
          this.onread = ignore;
          this.close();
        } else if (count > 0) {
          onChunk(this, Buffer.from(arrayBuffer, uv.state[uv.arrayBufferOffset], count));
        }
      };
      handle.readStart();
    },
    /** A handle connected to `port` on 127.0.0.1. */
    connect(port) {
      const handle = new uv.TCP(uv.socketType);
      return new Promise((resolve, reject) => {
        const request = new uv.TCPConnectWrap();
        request.oncomplete = (status) =>
          status === 0 ? resolve(handle) : reject(new Error(`connect: ${status}`));
        handle.connect(request, '127.0.0.1', port);
      });
    },
  };
}

/**
 * Listens on `port` (0: any) at 127.0.0.1 and hands each accepted connection's bare handle, with
 * TCP_NODELAY on, to `onHandle(handle)` (accepted as Tronada's TCPServer accepts them); resolves
 * with the port.
 */
export async function listenOnHandles(port, onHandle) {
  const uv = tcpWrap();
  const server = net.createServer();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  acceptHandles(server, uv, (handle) => {
    handle.setNoDelay(true);
    onHandle(handle);
  });
  return server.address().port;
}
