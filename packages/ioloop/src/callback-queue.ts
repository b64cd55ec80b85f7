/**
 * FIFO queue of loop callbacks. {@link drain} runs only what was queued when it started, so a
 * callback added while callbacks run waits for the next loop iteration and a callback that
 * re-adds itself cannot starve timers or I/O. Two pairs of arrays are swapped back and forth,
 * so a busy loop allocates nothing per iteration.
 */
export class CallbackQueue {
  #fns: Array<(...args: unknown[]) => unknown> = [];
  #args: Array<readonly unknown[] | undefined> = [];
  #spareFns: Array<(...args: unknown[]) => unknown> = [];
  #spareArgs: Array<readonly unknown[] | undefined> = [];

  /** Number of callbacks waiting. */
  get length(): number {
    return this.#fns.length;
  }

  /** Queues `fn(...args)`; `args` is `undefined` for a call without arguments. */
  push(fn: (...args: unknown[]) => unknown, args: readonly unknown[] | undefined): void {
    this.#fns.push(fn);
    this.#args.push(args);
  }

  /** Runs every callback queued before this call, in order, through `run`. */
  drain(
    run: (fn: (...args: unknown[]) => unknown, args: readonly unknown[] | undefined) => void,
  ): void {
    const fns = this.#fns;
    const args = this.#args;
    this.#fns = this.#spareFns;
    this.#args = this.#spareArgs;
    try {
      for (let i = 0; i < fns.length; i++) run(fns[i]!, args[i]);
    } finally {
      fns.length = 0;
      args.length = 0;
      this.#spareFns = fns;
      this.#spareArgs = args;
    }
  }

  /** Drops every waiting callback. */
  clear(): void {
    this.#fns = [];
    this.#args = [];
  }
}
