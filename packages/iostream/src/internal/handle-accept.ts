/**
 * Taking a listening `net.Server`'s new TCP connections as bare handles, before Node wraps
 * each in a `net.Socket` (for servers on the `'handle'` transport).
 *
 * A listening server's handle calls its `onconnection(status, handle)` for every connection it
 * accepts (in a `node:cluster` worker, the handle the primary passed on does). Replacing that
 * callback hands the TCP handles to us instead; anything else (an accept error, a Unix socket's
 * pipe handle) still goes to Node's own callback. The server itself stays Node's: binding,
 * `address()`, `close()` and cluster sharing are unchanged.
 */
import type { Server } from 'node:net';
import type { PeerName, TcpHandle, TcpWrap } from './tcp-wrap.js';

type OnConnection = (this: unknown, status: number, handle?: unknown) => void;
type ListeningHandle = { onconnection?: OnConnection };

/**
 * Hands `server`'s new TCP connections to `onHandle` from now on. Returns the function that
 * gives them back to Node, or null when the server cannot be served this way (not listening
 * yet, or limited by `maxConnections`, which only Node's callback enforces).
 */
export function acceptHandles(
  server: Server,
  uv: TcpWrap,
  onHandle: (handle: TcpHandle) => void,
): (() => void) | null {
  const listening = (server as unknown as { _handle?: ListeningHandle | null })._handle;
  const own = listening?.onconnection;
  if (listening == null || typeof own !== 'function') return null;
  if (typeof server.maxConnections === 'number' && Number.isFinite(server.maxConnections)) {
    return null;
  }
  const onConnection: OnConnection = function (status, handle) {
    if (status === 0 && handle instanceof uv.TCP) onHandle(handle);
    else own.call(this, status, handle);
  };
  listening.onconnection = onConnection;
  return () => {
    if (listening.onconnection === onConnection) listening.onconnection = own;
  };
}

/** The peer of a connected handle, or null once it is gone (reset before we looked). */
export function handlePeer(
  handle: TcpHandle,
): { address: string; port: number; family: 4 | 6 } | null {
  const peer: PeerName = {};
  if (handle.getpeername(peer) !== 0) return null;
  const { address, port, family } = peer;
  if (address === undefined || port === undefined) return null;
  return { address, port, family: family === 'IPv6' || family === 6 ? 6 : 4 };
}
