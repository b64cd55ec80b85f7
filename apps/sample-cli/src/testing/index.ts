/**
 * @packageDocumentation Test helpers of the samples: free ports, child processes that are
 * ended by PID, a throwaway `redis-server`, and headless Chromium.
 */

export type { StartedProcess, StartProcessOptions } from './child-process.js';
export { startProcess } from './child-process.js';
export {
  browserSuiteTitle,
  browserTestsRun,
  CHROMIUM,
  hasChromium,
  launchChromium,
} from './chromium.js';
export { freePort } from './free-port.js';
export type { RedisServer } from './redis-server.js';
export { hasRedisServer, REDIS_SERVER, startRedisServer } from './redis-server.js';
