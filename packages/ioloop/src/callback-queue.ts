/**
 * FIFO queue of loop callbacks. {@link drain} runs only what was queued when it started, so a
 * callback added while callbacks run waits for the next loop iteration and a callback that
 * re-adds itself cannot starve timers or I/O. Two pairs of arrays with explicit counts are
 * swapped back and forth, and run slots are cleared one by one: a busy loop neither allocates
 * nor resizes arrays per iteration.
 */
type Callback = (...args: unknown[]) => unknown;

export class CallbackQueue {
  #fns: Array<Callback | undefined> = [];
  #args: Array<readonly unknown[] | undefined> = [];
  #count = 0;
  #spareFns: Array<Callback | undefined> = [];
  #spareArgs: Array<readonly unknown[] | undefined> = [];

  /** Number of callbacks waiting. */
  get length(): number {
    return this.#count;
  }

  /** Queues `fn(...args)`; `args` is `undefined` for a call without arguments. */
  push(fn: Callback, args: readonly unknown[] | undefined): void {
    const i = this.#count++;
    this.#fns[i] = fn;
    this.#args[i] = args;
  }

  /**
   * Runs every callback queued before this call, in order, through `run`. If `run` throws, the
   * callbacks after it in this batch are dropped (the loop's `run` never throws).
   */
  drain(run: (fn: Callback, args: readonly unknown[] | undefined) => void): void {
    const fns = this.#fns;
    const args = this.#args;
    const n = this.#count;
    this.#fns = this.#spareFns;
    this.#args = this.#spareArgs;
    this.#count = 0;
    this.#spareFns = fns;
    this.#spareArgs = args;
    for (let i = 0; i < n; i++) {
      const fn = fns[i]!;
      const a = args[i];
      fns[i] = undefined;
      args[i] = undefined;
      run(fn, a);
    }
  }

  /** Drops every waiting callback. */
  clear(): void {
    this.#fns = [];
    this.#args = [];
    this.#count = 0;
  }
}
