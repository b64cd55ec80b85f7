/**
 * @packageDocumentation What the sample apps share: reading `--port` (or the `PORT` variable),
 * `--host` and `--redis` from the command line, and the broadcasters the chats publish
 * through (in-process, or Redis pub/sub for several processes).
 */
export type { Broadcaster } from './broadcaster.js';
export { LocalBroadcaster } from './broadcaster.js';
export type { OpenBroadcasterOptions } from './open-broadcaster.js';
export { openBroadcaster } from './open-broadcaster.js';
export type { RedisBroadcasterOptions } from './redis-broadcaster.js';
export { RedisBroadcaster } from './redis-broadcaster.js';
export type { BroadcastServerOptions, ServerOptions } from './server-options.js';
export { parseBroadcastServerOptions, parsePort, parseServerOptions } from './server-options.js';
