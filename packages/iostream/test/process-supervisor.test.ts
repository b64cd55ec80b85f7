/**
 * forkProcesses' restart rules (Tornado's fork_processes wait loop), with fake children: the
 * real processes are exercised by process-multiprocess.test.ts.
 */
import { genLog } from '@tronada/ioloop';
import { expectLog } from '@tronada/testing';
import { describe, expect, it } from 'vitest';
import type { SupervisedChild } from '../src/fork-supervisor.js';
import { ForkSupervisor } from '../src/fork-supervisor.js';
import { TooManyRestartsError } from '../src/network-errors.js';

class FakeChild implements SupervisedChild {
  readonly pid: number;
  readonly taskId: number;
  #listener: ((code: number | null, signal: string | null) => void) | null = null;
  constructor(pid: number, taskId: number) {
    this.pid = pid;
    this.taskId = taskId;
  }
  onExit(listener: (code: number | null, signal: string | null) => void): void {
    this.#listener = listener;
  }
  exit(code: number | null, signal: string | null = null): void {
    this.#listener?.(code, signal);
  }
}

function supervise(count: number, maxRestarts = 100) {
  const spawned: FakeChild[] = [];
  let nextPid = 1000;
  const supervisor = new ForkSupervisor({
    count,
    maxRestarts,
    spawn: (taskId) => {
      const child = new FakeChild(nextPid++, taskId);
      spawned.push(child);
      return child;
    },
  });
  // Outcomes are read with done()/exception(); mark the Future observed.
  supervisor.done.addDoneCallback(() => {});
  supervisor.start();
  return { supervisor, spawned };
}

describe('ForkSupervisor', () => {
  it('starts one child per task id, 0 to n - 1', () => {
    const { supervisor, spawned } = supervise(3);
    expect(spawned.map((c) => c.taskId)).toEqual([0, 1, 2]);
    expect(supervisor.runningTaskIds).toEqual([0, 1, 2]);
  });

  it('restarts a child that exits with a non-zero status, with the same task id', () => {
    const { supervisor, spawned } = supervise(2);
    expectLog(genLog, /child 1 \(pid 1001\) exited with status 3, restarting/, () =>
      spawned[1]!.exit(3),
    );
    expect(spawned.map((c) => c.taskId)).toEqual([0, 1, 1]);
    expect(spawned[2]!.pid).toBe(1002);
    expect(supervisor.runningTaskIds).toEqual([0, 1]);
    expect(supervisor.restarts).toBe(1);
  });

  it('restarts a child killed by a signal, with the same task id', () => {
    const { spawned } = supervise(2);
    expectLog(genLog, /child 0 \(pid 1000\) killed by signal SIGKILL, restarting/, () =>
      spawned[0]!.exit(null, 'SIGKILL'),
    );
    expect(spawned.map((c) => c.taskId)).toEqual([0, 1, 0]);
  });

  it('does not restart a child that exits with 0', () => {
    const { supervisor, spawned } = supervise(2);
    spawned[0]!.exit(0);
    expect(spawned).toHaveLength(2);
    expect(supervisor.runningTaskIds).toEqual([1]);
    expect(supervisor.done.done()).toBe(false);
  });

  it('is done when every child has exited with 0, restarted ones included', () => {
    const { supervisor, spawned } = supervise(2);
    expectLog(genLog, /restarting/, () => spawned[0]!.exit(2));
    spawned[1]!.exit(0);
    expect(supervisor.done.done()).toBe(false);
    spawned[2]!.exit(0);
    expect(supervisor.done.done()).toBe(true);
    expect(supervisor.done.exception()).toBeNull();
  });

  it('gives up with TooManyRestartsError on the restart after maxRestarts', () => {
    const { supervisor, spawned } = supervise(1, 2);
    expectLog(genLog, /restarting/, () => {
      spawned[0]!.exit(1);
      spawned[1]!.exit(1);
    });
    expect(spawned).toHaveLength(3);
    expect(supervisor.done.done()).toBe(false);
    expectLog(genLog, /restarting/, () => spawned[2]!.exit(1));
    expect(spawned).toHaveLength(3);
    const error = supervisor.done.exception();
    expect(error).toBeInstanceOf(TooManyRestartsError);
    expect((error as TooManyRestartsError).maxRestarts).toBe(2);
  });

  it('counts restarts across all task ids', () => {
    const { supervisor, spawned } = supervise(2, 1);
    expectLog(genLog, /restarting/, () => {
      spawned[0]!.exit(1);
      spawned[1]!.exit(1);
    });
    expect(supervisor.done.exception()).toBeInstanceOf(TooManyRestartsError);
  });

  it('ignores an exit reported twice for the same child', () => {
    const { supervisor, spawned } = supervise(1);
    expectLog(genLog, /restarting/, () => spawned[0]!.exit(1));
    spawned[0]!.exit(1);
    expect(spawned).toHaveLength(2);
    expect(supervisor.restarts).toBe(1);
  });

  it('logs the number of processes it starts', () => {
    const lines: string[] = [];
    const remove = genLog.addHandler((r) => {
      lines.push(r.message);
      return undefined;
    });
    try {
      supervise(4);
    } finally {
      remove();
    }
    expect(lines).toContain('Starting 4 processes');
  });
});
