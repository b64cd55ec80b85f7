/**
 * @packageDocumentation Tornado's IOLoop and Futures for Node.js (Tornado: `tornado.ioloop`,
 * `tornado.concurrent`, `tornado.log`): callbacks, timers, I/O handlers, executors, a virtual
 * clock for tests, and named loggers.
 */

export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export { CoroutineTrace, recordCoroutineTrace } from './coroutine-trace.js';
export type { DeadlineWatcher } from './deadline-queue.js';
export { DeadlineQueue } from './deadline-queue.js';
export {
  BadYieldError,
  CancelledError,
  InvalidStateError,
  IOLoopStateError,
  TimeoutError,
  TronadaError,
} from './errors.js';
export type { Executor, ExecutorTask, TaskRef, ThreadPoolOptions } from './executor.js';
export { InlineExecutor, ThreadPoolExecutor } from './executor.js';
export type { DoneCallback } from './future.js';
export { Future, isFuture } from './future.js';
export {
  chainFuture,
  futureAddDoneCallback,
  futureSetExceptionUnlessCancelled,
  futureSetResultUnlessCancelled,
  toFuture,
} from './future-helpers.js';
export { isGeneratorObject, isThenable } from './guards.js';
export type { HandlerTarget, IOHandler } from './handlers.js';
export { IOLoopEvents } from './handlers.js';
export type { IOLoopOptions, RunSyncOptions, TimeoutHandle } from './io-loop.js';
export { IOLoop } from './io-loop.js';
export type { Logger, LogHandler, LogLevel, LogRecord, PrettyLoggingOptions } from './log.js';
export { accessLog, appLog, enablePrettyLogging, genLog, NamedLogger } from './log.js';
export { PeriodicCallback } from './periodic-callback.js';
export type { StackContextHandler } from './stack-context.js';
export { ExceptionStackContext, hasStackContext, runInNullContext, wrap } from './stack-context.js';
export { VirtualClock } from './virtual-clock.js';
