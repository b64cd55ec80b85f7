/**
 * Tornado's READ / WRITE / ERROR readiness, emulated over Node stream events, since Node exposes
 * no descriptor readiness. Level-triggered like a real poller: while a handle stays ready for a
 * registered event, its handler is called again on each loop iteration.
 */
import type { EventEmitter } from 'node:events';

/** Event masks for `addHandler`, as in Tornado. */
export const IOLoopEvents = { NONE: 0, READ: 0x001, WRITE: 0x004, ERROR: 0x018 } as const;

/** Something `addHandler` can watch: a Node stream or socket. */
export type HandlerTarget = EventEmitter & {
  readonly readableLength?: number;
  readonly readableEnded?: boolean;
  readonly writable?: boolean;
  readonly writableNeedDrain?: boolean;
  readonly destroyed?: boolean;
  readonly errored?: unknown;
  destroy?(error?: Error): void;
};

/** Called with the handle and the mask of events it is ready for. */
export type IOHandler<H extends HandlerTarget = HandlerTarget> = (
  handle: H,
  events: number,
) => void;

interface Watch {
  readonly handle: HandlerTarget;
  readonly handler: IOHandler;
  events: number;
  queued: boolean;
  errorReported: boolean;
  readonly poke: () => void;
}

const STREAM_EVENTS = ['readable', 'end', 'drain', 'error', 'close', 'connect'] as const;

/** The handler table of one IOLoop. */
export class HandlerTable {
  #watches = new Map<HandlerTarget, Watch>();
  #schedule: (fn: () => void) => void;

  /** `schedule` queues a function for the next loop iteration (the loop's `addCallback`). */
  constructor(schedule: (fn: () => void) => void) {
    this.#schedule = schedule;
  }

  /** Number of registered handles. */
  get size(): number {
    return this.#watches.size;
  }

  add(handle: HandlerTarget, handler: IOHandler, events: number): void {
    if (typeof handle !== 'object' || handle === null || typeof handle.on !== 'function') {
      throw new TypeError(
        'addHandler needs a Node stream or socket: Node exposes no readiness for raw file descriptors',
      );
    }
    if (this.#watches.has(handle)) throw new Error('addHandler: this handle is already registered');
    const watch: Watch = {
      handle,
      handler,
      events,
      queued: false,
      errorReported: false,
      poke: () => this.#poke(watch),
    };
    this.#watches.set(handle, watch);
    for (const name of STREAM_EVENTS) handle.on(name, watch.poke);
    // Writability and already-buffered data are states, not events: check them now.
    this.#poke(watch);
  }

  update(handle: HandlerTarget, events: number): void {
    const watch = this.#watches.get(handle);
    if (watch === undefined) throw new Error('updateHandler: this handle is not registered');
    watch.events = events;
    this.#poke(watch);
  }

  remove(handle: HandlerTarget): void {
    const watch = this.#watches.get(handle);
    if (watch === undefined) return;
    this.#watches.delete(handle);
    for (const name of STREAM_EVENTS) handle.off(name, watch.poke);
  }

  /** Unregisters everything; with `destroy`, also destroys each handle (`close(allFds)`). */
  closeAll(destroy: boolean): void {
    for (const handle of [...this.#watches.keys()]) {
      this.remove(handle);
      if (destroy) handle.destroy?.();
    }
  }

  #poke(watch: Watch): void {
    if (watch.queued || this.#ready(watch) === 0) return;
    watch.queued = true;
    this.#schedule(() => {
      watch.queued = false;
      if (this.#watches.get(watch.handle) !== watch) return;
      const ready = this.#ready(watch);
      if (ready === 0) return;
      if (ready & IOLoopEvents.ERROR) watch.errorReported = true;
      watch.handler(watch.handle, ready);
      if (this.#watches.get(watch.handle) === watch) this.#poke(watch);
    });
  }

  #ready(watch: Watch): number {
    const h = watch.handle;
    let mask = 0;
    const failed = h.destroyed === true || (h.errored !== undefined && h.errored !== null);
    // A failure is reported once: unlike readability it cannot be consumed, so repeating it
    // would spin the loop until the handler is removed.
    if (failed && !watch.errorReported) mask |= IOLoopEvents.ERROR;
    if (
      watch.events & IOLoopEvents.READ &&
      ((h.readableLength ?? 0) > 0 || h.readableEnded === true)
    ) {
      mask |= IOLoopEvents.READ;
    }
    if (
      watch.events & IOLoopEvents.WRITE &&
      !failed &&
      h.writable === true &&
      h.writableNeedDrain !== true
    ) {
      const connecting = (h as { connecting?: boolean }).connecting === true;
      if (!connecting) mask |= IOLoopEvents.WRITE;
    }
    return mask;
  }
}
