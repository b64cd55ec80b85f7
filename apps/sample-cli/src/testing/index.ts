/**
 * @packageDocumentation Test helpers of the samples: free ports, child processes that are
 * ended by PID, and a throwaway `redis-server`.
 */
export type { StartedProcess, StartProcessOptions } from './child-process.js';
export { startProcess } from './child-process.js';
export { freePort } from './free-port.js';
export type { RedisServer } from './redis-server.js';
export { hasRedisServer, REDIS_SERVER, startRedisServer } from './redis-server.js';
