/**
 * @packageDocumentation Generator coroutines for Tronada (Tornado: `tornado.gen`,
 * `tornado.locks`, `tornado.queues`): `coroutine`, `multi`, `sleep`, `withTimeout`,
 * `WaitIterator`, the legacy yield points (`engine`, `Task`, `Callback`, `Wait`, `WaitMany`,
 * `Multi`), locks and queues.
 */

export { BadYieldError, TimeoutError } from '@tronada/ioloop';
export { Arguments } from './arguments.js';
export { compareNatural } from './compare-natural.js';
export { Condition } from './condition.js';
export {
  convertYielded,
  isPlainObject,
  maybeFuture,
  registerYieldable,
} from './convert-yielded.js';
export type { CoroutineFunction, GeneratorFunction } from './coroutine.js';
export { coroutine, isCoroutineFunction, runGenerator } from './coroutine.js';
export {
  KeyReuseError,
  LeakedCallbackError,
  ReturnValueIgnoredError,
  UnknownKeyError,
} from './errors.js';
export { Event } from './event.js';
export type { ResultCallback } from './legacy-callback.js';
export { Callback, Wait, WaitMany, WaitMany as WaitAll } from './legacy-callback.js';
export type { EngineFunction, EngineWrapper } from './legacy-engine.js';
export { engine } from './legacy-engine.js';
export type { MultiResult } from './legacy-multi.js';
export { Multi } from './legacy-multi.js';
export type { CallbackValue } from './legacy-task.js';
export { Task } from './legacy-task.js';
export { LifoQueue } from './lifo-queue.js';
export { Lock } from './lock.js';
export { moment } from './moment.js';
export type { ErrorClass, MultiArrayResult, MultiOptions, MultiRecordResult } from './multi.js';
export { multi } from './multi.js';
export { MultiYieldPoint, YieldFuture } from './multi-yield-point.js';
export type { NodeCallback } from './node-task.js';
export { nodeTask } from './node-task.js';
export type { Compare, PriorityQueueOptions } from './priority-queue.js';
export { PriorityQueue } from './priority-queue.js';
export { Queue } from './queue.js';
export { QueueEmpty, QueueFull } from './queue-errors.js';
export type { Releaser } from './releaser.js';
export { Runner } from './runner.js';
export { BoundedSemaphore, Semaphore } from './semaphore.js';
export { sleep } from './sleep.js';
export { WaitIterator } from './wait-iterator.js';
export type { Timeout, WithTimeoutOptions } from './with-timeout.js';
export { deadlineOf, withTimeout } from './with-timeout.js';
export { isYieldPoint, YieldPoint } from './yield-point.js';
