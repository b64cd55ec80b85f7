/**
 * @packageDocumentation Test helpers for Tronada (Tornado: `tornado.testing`): a fresh IOLoop
 * per test with leak checks, `genTest` for generator tests, `ExpectLog`, test guards, and the
 * virtual clock. Depends only on `@tronada/ioloop` and `@tronada/gen`.
 */
export { VirtualClock } from '@tronada/ioloop';
export { LeakError, LogExpectationError } from './errors.js';
export type { ExpectLogOptions } from './expect-log.js';
export { ExpectLog, expectLog } from './expect-log.js';
export type { GenTestOptions } from './gen-test.js';
export { genTest } from './gen-test.js';
export type { TestHooks, TestLoopHandle } from './test-guards.js';
export { installTestGuards, useTestLoop } from './test-guards.js';
export type { TestLoopOptions } from './test-loop.js';
export { TestLoop } from './test-loop.js';
