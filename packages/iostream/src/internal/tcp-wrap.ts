/**
 * The libuv TCP handles under `net.Socket`, as Node's own `net` module drives them.
 *
 * A connection accepted by a `net.Server` arrives first as a bare TCP handle, which Node then
 * wraps in a `net.Socket` (a `Duplex`, with its stream state, listeners and buffering). A stream
 * on the `'handle'` transport keeps the bare handle and talks to it the way `net.Socket` does:
 * `readStart`/`readStop` with an `onread` callback, writes through a `WriteWrap` request,
 * `shutdown` through a `ShutdownWrap`, `close`. The request classes and the shared read/write
 * state come from `process.binding('stream_wrap')`, which Node keeps for its own modules
 * (DEP0111, documentation-only): they are looked up once, checked for the shape this module
 * uses, and treated as missing when anything differs, so the caller falls back to `net.Socket`.
 */
import * as util from 'node:util';

/** A libuv TCP stream handle (`tcp_wrap.TCP`), as far as a stream uses it. */
export interface TcpHandle {
  /**
   * Called by libuv for each read: the byte count or error is in the shared state. Only a
   * function may be stored here (Node aborts the process otherwise).
   */
  onread: (this: TcpHandle, arrayBuffer: ArrayBuffer | undefined) => void;
  readStart(): number;
  readStop(): number;
  writeBuffer(request: WriteRequest, data: Uint8Array): number;
  shutdown(request: ShutdownRequest): number;
  close(callback?: () => void): void;
  setNoDelay(enable: boolean): number;
  getpeername(out: PeerName): number;
  bind(address: string, port: number): number;
  bind6(address: string, port: number, flags: number): number;
  connect(request: ConnectRequest, address: string, port: number): number;
  connect6(request: ConnectRequest, address: string, port: number): number;
  readonly fd: number;
}

/** A connect request: `oncomplete(status)` runs once the connection is made or failed. */
export interface ConnectRequest {
  oncomplete: (this: ConnectRequest, status: number, handle: TcpHandle) => void;
  address: string;
  port: number;
  /** Ours: what to call once connected. */
  connected: () => void;
}

/** The peer address `getpeername` fills in. */
export interface PeerName {
  address?: string;
  port?: number;
  family?: string | number;
}

/** A write request: `oncomplete(status)` runs once libuv wrote it (asynchronous writes only). */
export interface WriteRequest {
  handle: TcpHandle;
  oncomplete: (status: number) => void;
  async: boolean;
  buffer: Uint8Array | null;
  error?: string;
}

/** A shutdown request: `oncomplete(status)` runs once the writes before it went out. */
export interface ShutdownRequest {
  handle: TcpHandle;
  oncomplete: (status: number) => void;
}

/** What a handle stream needs from Node's bindings. */
export interface TcpWrap {
  /** The TCP handle class (`new TCP(socketType)` makes an unconnected client handle). */
  readonly TCP: new (
    type: number,
  ) => TcpHandle;
  /** The handle type of a client socket. */
  readonly socketType: number;
  /** Makes a connect request. */
  readonly TCPConnectWrap: new () => ConnectRequest;
  /** Makes a write request. */
  readonly WriteWrap: new () => WriteRequest;
  /** Makes a shutdown request. */
  readonly ShutdownWrap: new () => ShutdownRequest;
  /** Where libuv leaves the byte count (or error) of a read and whether a write went async. */
  readonly state: Int32Array;
  readonly readBytesOrError: number;
  readonly arrayBufferOffset: number;
  readonly lastWriteWasAsync: number;
  /** libuv's end-of-file status. */
  readonly eof: number;
}

type Binding = (name: string) => Record<string, unknown>;

let loaded: TcpWrap | null | undefined;

const isIndex = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

function libuvEof(): number | null {
  for (const [status, [name]] of util.getSystemErrorMap()) if (name === 'EOF') return status;
  return null;
}

/**
 * Whether Node runs with `--pending-deprecation`, which makes `process.binding` warn (DEP0111):
 * a user who asked to hear about deprecated calls gets sockets rather than a warning.
 */
function pendingDeprecation(): boolean {
  const flag = '--pending-deprecation';
  return (
    process.execArgv.includes(flag) ||
    (process.env.NODE_OPTIONS ?? '').split(/\s+/).includes(flag) ||
    process.env.NODE_PENDING_DEPRECATION === '1'
  );
}

function load(): TcpWrap | null {
  if (pendingDeprecation()) return null;
  const binding = (process as unknown as { binding?: Binding }).binding;
  if (typeof binding !== 'function') return null;
  let tcp: Record<string, unknown>;
  let stream: Record<string, unknown>;
  try {
    tcp = binding('tcp_wrap');
    stream = binding('stream_wrap');
  } catch {
    // Not offered here (e.g. under the permission model).
    return null;
  }
  const { TCP, TCPConnectWrap, constants } = tcp;
  const socketType = (constants as Record<string, unknown> | undefined)?.SOCKET;
  const { WriteWrap, ShutdownWrap, streamBaseState } = stream;
  const { kReadBytesOrError, kArrayBufferOffset, kLastWriteWasAsync } = stream;
  const eof = libuvEof();
  if (
    typeof TCP !== 'function' ||
    typeof TCPConnectWrap !== 'function' ||
    !isIndex(socketType) ||
    typeof WriteWrap !== 'function' ||
    typeof ShutdownWrap !== 'function' ||
    !(streamBaseState instanceof Int32Array) ||
    !isIndex(kReadBytesOrError) ||
    !isIndex(kArrayBufferOffset) ||
    !isIndex(kLastWriteWasAsync) ||
    eof === null
  ) {
    return null;
  }
  const methods = [
    'readStart',
    'readStop',
    'writeBuffer',
    'shutdown',
    'close',
    'setNoDelay',
    'bind',
    'bind6',
    'connect',
    'connect6',
  ];
  const prototype = TCP.prototype as Record<string, unknown>;
  if (!methods.every((name) => typeof prototype[name] === 'function')) return null;
  if (!('getpeername' in prototype)) return null;
  return {
    TCP: TCP as TcpWrap['TCP'],
    socketType,
    TCPConnectWrap: TCPConnectWrap as TcpWrap['TCPConnectWrap'],
    WriteWrap: WriteWrap as TcpWrap['WriteWrap'],
    ShutdownWrap: ShutdownWrap as TcpWrap['ShutdownWrap'],
    state: streamBaseState,
    readBytesOrError: kReadBytesOrError,
    arrayBufferOffset: kArrayBufferOffset,
    lastWriteWasAsync: kLastWriteWasAsync,
    eof,
  };
}

/**
 * Whether `transport` (the option of servers and clients, default `'handle'`) asks for handles;
 * anything but `'socket'`, `'handle'` or undefined is a `TypeError`.
 */
export function wantsHandles(transport: unknown): boolean {
  if (transport === undefined || transport === 'handle') return true;
  if (transport === 'socket') return false;
  throw new TypeError(`transport must be 'socket' or 'handle', not ${String(transport)}`);
}

/** Node's TCP handle API, or null where this Node does not offer it in the expected shape. */
export function tcpWrap(): TcpWrap | null {
  if (loaded === undefined) loaded = load();
  return loaded;
}

/**
 * The error `net.Socket` reports for a failed libuv call: `"read ECONNRESET"`, with `code`,
 * `errno` and `syscall` set; with a `target` address (connect, bind) also `address` and `port`
 * and the message `"connect ECONNREFUSED 127.0.0.1:80"`.
 */
export function uvError(
  status: number,
  syscall: string,
  target?: { address: string; port: number },
): NodeJS.ErrnoException & { address?: string; port?: number } {
  let code: string;
  try {
    code = util.getSystemErrorName(status);
  } catch {
    code = `Unknown system error ${status}`;
  }
  const where = target === undefined ? '' : ` ${target.address}:${target.port}`;
  const error: NodeJS.ErrnoException & { address?: string; port?: number } = new Error(
    `${syscall} ${code}${where}`,
  );
  error.errno = status;
  error.code = code;
  error.syscall = syscall;
  if (target !== undefined) {
    error.address = target.address;
    error.port = target.port;
  }
  return error;
}
