/**
 * @packageDocumentation Non-blocking streams, TCP servers and clients for Tronada (Tornado:
 * `tornado.iostream`, `tornado.tcpserver`, `tornado.tcpclient`, `tornado.netutil`,
 * `tornado.process`).
 */
export type {
  IOStreamOptions,
  ReadBytesOptions,
  ReadCallback,
  ReadIntoOptions,
  ReadUntilCloseOptions,
  ReadUntilOptions,
} from './base-iostream.js';
export { BaseIOStream } from './base-iostream.js';
export type { ChunkReceiver } from './chunk-receiver.js';
export {
  AlreadyReadingError,
  HandshakeAlreadyAwaitedError,
  StreamBufferFullError,
  StreamClosedError,
  StreamNotIdleError,
  UnsatisfiableReadError,
} from './errors.js';
export type { ConnectOptions, StreamAddress } from './iostream.js';
export { IOStream } from './iostream.js';
export type { MemoryStreamOptions } from './memory-stream.js';
export { memoryStreamPair } from './memory-stream.js';
export type { BindSocketsOptions } from './netutil.js';
export {
  addAcceptHandler,
  bindSockets,
  bindUnusedPort,
  closeServer,
  isValidIp,
  reusePortSupported,
} from './netutil.js';
export {
  CalledProcessError,
  ForkError,
  ResolveError,
  ReusePortUnsupportedError,
  ServerStateError,
  TooManyRestartsError,
  UnixSocketPathError,
} from './network-errors.js';
export type { OverrideEntry, OverrideMapping } from './override-resolver.js';
export { OverrideResolver } from './override-resolver.js';
export type { PipeIOStreamOptions } from './pipe-iostream.js';
export { PipeIOStream } from './pipe-iostream.js';
export { cpuCount, forkProcesses, taskId } from './process.js';
export type {
  AddressFamily,
  DefaultResolverOptions,
  LookupFunction,
  ResolvedAddress,
  Resolver,
} from './resolver.js';
export { DefaultResolver } from './resolver.js';
export type { SocketLike } from './socket-transport.js';
export { SocketTransport } from './socket-transport.js';
export type { SSLIOStreamOptions, SSLOptions } from './ssl-iostream.js';
export { SSLIOStream } from './ssl-iostream.js';
export type { StreamCloseListener } from './stream-close-listener.js';
export type { ExitCallback, SubprocessOptions, SubprocessStdio } from './subprocess.js';
export { Subprocess } from './subprocess.js';
export type { TCPClientConnectOptions } from './tcp-client.js';
export { TCPClient } from './tcp-client.js';
export type {
  ConnectionAddress,
  HandleStreamResult,
  ListenOptions,
  TCPServerOptions,
} from './tcp-server.js';
export { TCPServer } from './tcp-server.js';
export type { Transport, TransportSink } from './transport.js';
export type { BindUnixSocketOptions } from './unix-socket.js';
export { bindUnixSocket } from './unix-socket.js';
