/**
 * Future: the currency of Tronada's concurrency model.
 *
 * A Future is a thenable whose state can be read synchronously (`done()`, `result()`), settled
 * from outside (`setResult`, `setException`) and cancelled. Done callbacks run as microtasks
 * right after settlement, in the order they were added, like Promise reactions; a callback added
 * to a Future that is already done runs in a microtask too.
 *
 * A failed Future that nothing observes (no done callback, no `then`, no `result()` or
 * `exception()` call) reports itself as an unhandled rejection, the same way a rejected Promise
 * does, so a lost error is never silent. Cancellation is never reported.
 *
 * Variance: `T` appears only in method signatures and the callbacks are stored type-erased, so
 * `Future<number>` is assignable to `Future<unknown>`.
 */
import { recordCoroutineTrace } from './coroutine-trace.js';
import { CancelledError, InvalidStateError } from './errors.js';
import { reportCallbackError } from './report-error.js';

const PENDING = 0;
const RESOLVED = 1;
const REJECTED = 2;
const CANCELLED = 3;
type State = typeof PENDING | typeof RESOLVED | typeof REJECTED | typeof CANCELLED;

const FUTURE_BRAND = Symbol.for('tronada.future');
// Done callbacks run from one microtask per batch: Futures whose callbacks are due wait in
// `due`, and a single reaction to this settled Promise runs them all in order (including those
// that become due meanwhile). No per-Future promise or closure, and no async resource per call
// as Node's queueMicrotask would create.
const SETTLED = Promise.resolve();
type AnyCallback = (future: Future<unknown>) => void;
const noop = (): void => {};
const due: Array<Future<unknown> | undefined> = [];
let dueCount = 0;
let flushScheduled = false;

/** A callback run when a Future is done; it receives the Future. */
export type DoneCallback<T> = (future: Future<T>) => void;

/**
 * A settable, cancellable, synchronously inspectable result of an asynchronous operation.
 *
 * @see Tornado `tornado.concurrent.Future` (an `asyncio.Future`)
 */
export class Future<T> implements PromiseLike<T> {
  #state: State = PENDING;
  #value: unknown;
  // One callback is stored as it is; an array only from the second on.
  #callbacks: AnyCallback | AnyCallback[] | null = null;
  #scheduled = false;
  #promise: Promise<unknown> | null = null;
  #unobservedRejection = false;
  #onCancel: (() => void) | null = null;

  /** Brand that lets `isFuture` recognise Futures from other copies of this package. */
  get [FUTURE_BRAND](): true {
    return true;
  }

  /** A Future already resolved with `value`. */
  static resolved<T>(value: T): Future<T> {
    const f = new Future<T>();
    f.#state = RESOLVED;
    f.#value = value;
    return f;
  }

  /** A Future already failed with `error`. */
  static rejected<T = never>(error: unknown): Future<T> {
    const f = new Future<T>();
    f.setException(error);
    return f;
  }

  /** True once the Future has a result, an exception, or was cancelled. */
  done(): boolean {
    return this.#state !== PENDING;
  }

  /** True if the Future was cancelled. */
  cancelled(): boolean {
    return this.#state === CANCELLED;
  }

  /**
   * The result. Throws the Future's exception if it failed, a {@link CancelledError} if it was
   * cancelled, and an {@link InvalidStateError} if it is still pending.
   */
  result(): T {
    switch (this.#state) {
      case RESOLVED:
        return this.#value as T;
      case REJECTED:
        this.#observe();
        throw this.#value;
      case CANCELLED:
        throw this.#value;
      default:
        throw new InvalidStateError('Result is not ready: the Future is still pending');
    }
  }

  /**
   * The exception the Future failed with, or `null` if it succeeded. Throws a
   * {@link CancelledError} if it was cancelled and an {@link InvalidStateError} if pending.
   */
  exception(): unknown {
    switch (this.#state) {
      case RESOLVED:
        return null;
      case REJECTED:
        this.#observe();
        return this.#value;
      case CANCELLED:
        throw this.#value;
      default:
        throw new InvalidStateError('Exception is not set: the Future is still pending');
    }
  }

  /**
   * Resolves the Future with `value` and schedules its done callbacks.
   * Throws {@link InvalidStateError} if the Future is already done.
   */
  setResult(value: T): void {
    if (this.#state !== PENDING) throw this.#alreadyDone();
    this.#state = RESOLVED;
    this.#value = value;
    this.#onCancel = null;
    if (this.#callbacks !== null) this.#schedule();
  }

  /**
   * Fails the Future with `error` and schedules its done callbacks. `null` and `undefined` are
   * replaced by an Error saying so, so that `exception()` returns `null` only on success.
   * Throws {@link InvalidStateError} if the Future is already done.
   */
  setException(error: unknown): void {
    if (this.#state !== PENDING) throw this.#alreadyDone();
    this.#state = REJECTED;
    this.#value = error ?? new Error(`Future failed with ${String(error)}`);
    this.#onCancel = null;
    if (this.#callbacks !== null) {
      this.#schedule();
    } else if (this.#promise === null) {
      // Nobody watches yet: let Node's unhandled-rejection tracking watch instead.
      this.#unobservedRejection = true;
      this.#promise = Promise.reject(this.#value);
    }
  }

  /**
   * Cancels a pending Future: it becomes done with a {@link CancelledError} and its callbacks
   * are scheduled. Returns false (and does nothing) if the Future is already done.
   */
  cancel(message?: string): boolean {
    if (this.#state !== PENDING) return false;
    this.#state = CANCELLED;
    this.#value = new CancelledError(message);
    if (this.#callbacks !== null) this.#schedule();
    const onCancel = this.#onCancel;
    if (onCancel !== null) {
      this.#onCancel = null;
      onCancel();
    }
    return true;
  }

  /**
   * Registers what stops the work behind this Future when it is cancelled (a timer to clear, a
   * coroutine to interrupt). It runs synchronously inside `cancel()`, at most once; a later call
   * replaces it, `null` removes it. Never called if the Future settles another way.
   */
  setCancelHandler(handler: (() => void) | null): void {
    this.#onCancel = this.#state === PENDING ? handler : null;
  }

  /**
   * Runs `callback(this)` in a microtask once the Future is done (at once, in a microtask, if it
   * is done already). Callbacks run in the order they were added.
   */
  addDoneCallback(callback: DoneCallback<T>): void {
    this.#observe();
    const cb = callback as AnyCallback;
    const current = this.#callbacks;
    if (current === null) this.#callbacks = cb;
    else if (typeof current === 'function') this.#callbacks = [current, cb];
    else current.push(cb);
    if (this.#state !== PENDING) this.#schedule();
  }

  /** Removes every registration of `callback`; returns how many were removed. */
  removeDoneCallback(callback: DoneCallback<T>): number {
    const current = this.#callbacks;
    if (current === null) return 0;
    if (typeof current === 'function') {
      if (current !== callback) return 0;
      this.#callbacks = null;
      return 1;
    }
    const kept = current.filter((cb) => cb !== callback);
    this.#callbacks = kept;
    return current.length - kept.length;
  }

  /** Promise interop: `await future` and `Promise.all([future])` work. */
  // biome-ignore lint/suspicious/noThenProperty: a Future is a thenable on purpose.
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (this.#state !== PENDING || this.#promise !== null)
      return (this.#asPromise() as Promise<T>).then(onFulfilled, onRejected);
    return new Promise<R1 | R2>((resolve, reject) => {
      this.addDoneCallback((f) => {
        try {
          if (f.#state === RESOLVED) {
            if (onFulfilled) resolve(onFulfilled(f.#value as T));
            else resolve(f.#value as R1);
          } else if (onRejected) resolve(onRejected(f.#value));
          else reject(f.#value);
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /** Promise interop: like `Promise.prototype.catch`. */
  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return (this.#asPromise() as Promise<T>).catch(onRejected);
  }

  /** Promise interop: like `Promise.prototype.finally`. */
  finally(onFinally?: (() => void) | null): Promise<T> {
    return (this.#asPromise() as Promise<T>).finally(onFinally);
  }

  /**
   * Makes the Future a single-shot iterator for `yield*` inside a coroutine, so that
   * `const r = yield* future` is typed `T`.
   */
  *[Symbol.iterator](): Generator<Future<T>, T, unknown> {
    try {
      return (yield this) as T;
    } catch (error) {
      // Still inside the caller's `yield*`: its frame and line are on the stack right now.
      recordCoroutineTrace(error, 'raised at this yield*', Future.prototype[Symbol.iterator]);
      throw error;
    }
  }

  get [Symbol.toStringTag](): string {
    return 'Future';
  }

  #asPromise(): Promise<unknown> {
    if (this.#promise !== null) {
      this.#unobservedRejection = false;
      return this.#promise;
    }
    switch (this.#state) {
      case RESOLVED:
        this.#promise = Promise.resolve(this.#value);
        break;
      case REJECTED:
      case CANCELLED:
        this.#promise = Promise.reject(this.#value);
        break;
      default:
        this.#promise = new Promise((resolve, reject) => {
          this.addDoneCallback((f) => {
            if (f.#state === RESOLVED) resolve(f.#value);
            else reject(f.#value);
          });
        });
    }
    return this.#promise;
  }

  #observe(): void {
    if (this.#unobservedRejection) {
      this.#unobservedRejection = false;
      this.#promise?.then(undefined, noop);
    }
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    due[dueCount++] = this as Future<unknown>;
    if (!flushScheduled) {
      flushScheduled = true;
      void SETTLED.then(Future.#flushDue);
    }
  }

  static #flushDue(): void {
    // Slots are cleared one by one and the count reset, rather than truncating the array,
    // which would reallocate it on every batch.
    for (let i = 0; i < dueCount; i++) {
      const future = due[i]!;
      due[i] = undefined;
      future.#runCallbacks();
    }
    dueCount = 0;
    flushScheduled = false;
  }

  #runCallbacks(): void {
    this.#scheduled = false;
    const current = this.#callbacks;
    this.#callbacks = null;
    if (current === null) return;
    if (typeof current === 'function') {
      this.#call(current);
      return;
    }
    for (const callback of current) this.#call(callback);
  }

  #call(callback: AnyCallback): void {
    try {
      callback(this as Future<unknown>);
    } catch (error) {
      reportCallbackError(callback, error);
    }
  }

  #alreadyDone(): InvalidStateError {
    const what = this.#state === CANCELLED ? 'cancelled' : 'done';
    return new InvalidStateError(`Future is already ${what}; it cannot be settled again`);
  }
}

/**
 * True if `value` is a Tronada {@link Future} (also one from another copy of this package).
 *
 * @see Tornado `tornado.concurrent.is_future`
 */
export function isFuture(value: unknown): value is Future<unknown> {
  return (
    value instanceof Future ||
    (typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[FUTURE_BRAND] === true)
  );
}
