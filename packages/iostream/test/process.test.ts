/**
 * cpuCount and taskId in the test process itself (Tornado's process.cpu_count and task_id);
 * forking is tested in process-multiprocess.test.ts and process-supervisor.test.ts.
 */
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { cpuCount, taskId } from '../src/index.js';
import { TASK_ID_ENV } from '../src/process.js';

const saved = process.env[TASK_ID_ENV];

afterEach(() => {
  if (saved === undefined) delete process.env[TASK_ID_ENV];
  else process.env[TASK_ID_ENV] = saved;
});

describe('process helpers', () => {
  it('counts the processors this process may use', () => {
    expect(cpuCount()).toBe(availableParallelism());
    expect(cpuCount()).toBeGreaterThanOrEqual(1);
  });

  it('has no task id in a process that forkProcesses did not start', () => {
    expect(taskId()).toBeNull();
  });

  it('ignores a task id in the environment of a process that is not a cluster worker', () => {
    // A grandchild spawned by a worker inherits the variable but is no worker of ours.
    process.env[TASK_ID_ENV] = '2';
    expect(taskId()).toBeNull();
  });
});
