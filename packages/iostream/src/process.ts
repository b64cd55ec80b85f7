/**
 * Multi-process servers over `node:cluster` (Tornado's `tornado.process`).
 *
 * Node cannot fork a running process. `node:cluster` starts each worker by running the entry
 * script again, so everything the script does before `forkProcesses` (or `TCPServer.start(n)`)
 * runs once in the primary and once in every worker. A worker learns its task id from its
 * environment; listening sockets opened in a worker are shared through the primary, so every
 * worker that listens on a port serves it.
 */
import cluster from 'node:cluster';
import { availableParallelism, cpus } from 'node:os';
import { Future, genLog } from '@tronada/ioloop';
import { ForkSupervisor } from './fork-supervisor.js';
import { listeningServerCount } from './netutil.js';
import { ForkError } from './network-errors.js';

/** The environment variable that carries a worker's task id. */
export const TASK_ID_ENV = 'TRONADA_TASK_ID';

let forked = false;

/**
 * The number of processors this process may use (at least 1).
 *
 * @see Tornado `tornado.process.cpu_count`
 */
export function cpuCount(): number {
  const n = typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
  if (n >= 1) return n;
  genLog.error('Could not detect number of processors; assuming 1');
  return 1;
}

/**
 * This worker's task id (0 to n - 1) when the process was started by {@link forkProcesses};
 * `null` in the primary process and in processes that were not forked. A restarted worker gets
 * the id of the one it replaces.
 *
 * @see Tornado `tornado.process.task_id`
 */
export function taskId(): number | null {
  if (!cluster.isWorker) return null;
  const raw = process.env[TASK_ID_ENV];
  if (raw === undefined || !/^\d+$/.test(raw)) return null;
  return Number(raw);
}

/**
 * Starts `numProcesses` worker processes (one per CPU when it is `null`, `undefined` or `<= 0`)
 * and keeps them running.
 *
 * - In a worker, resolves at once with the worker's task id (0 to n - 1).
 * - In the primary, never resolves: the primary only supervises. A worker that dies by a signal
 *   or exits with a non-zero code is restarted with the same task id, up to `maxRestarts`
 *   restarts in total (default 100); one more and the Future fails with
 *   `TooManyRestartsError`. A worker that exits with code 0 is not restarted. When every worker
 *   has exited with 0, the primary exits with code 0.
 *
 * Because Node cannot fork, each worker runs the entry script again from the top: code before
 * this call runs in every process, so open no listening sockets before it (doing so in the
 * primary fails with `ForkError`; bind after it, and the workers share the port).
 *
 * @see Tornado `tornado.process.fork_processes`
 */
export function forkProcesses(numProcesses?: number | null, maxRestarts = 100): Future<number> {
  if (cluster.isWorker) {
    const id = taskId();
    if (id === null) {
      return Future.rejected(
        new ForkError(
          `forkProcesses was called in a cluster worker that it did not start (no ${TASK_ID_ENV} in its environment); call it from the primary process`,
        ),
      );
    }
    return Future.resolved(id);
  }
  if (forked) {
    return Future.rejected(
      new ForkError('forkProcesses was already called in this process; call it once'),
    );
  }
  if (listeningServerCount() > 0) {
    return Future.rejected(
      new ForkError(
        'listening sockets were bound before forkProcesses; workers re-run the script and cannot inherit them, so bind (listen, bindSockets) after forkProcesses and the workers will share the port',
      ),
    );
  }
  forked = true;
  const count = numProcesses == null || numProcesses <= 0 ? cpuCount() : numProcesses;
  const supervisor = new ForkSupervisor({
    count,
    maxRestarts,
    spawn: (id) => {
      const worker = cluster.fork({ [TASK_ID_ENV]: String(id) });
      return {
        pid: worker.process.pid,
        onExit: (listener) => worker.once('exit', listener),
      };
    },
  });
  const result = new Future<number>();
  supervisor.done.addDoneCallback((f) => {
    const error = f.exception();
    // Every worker finished cleanly: the primary has nothing left to do (Tornado's sys.exit(0)).
    if (error === null) process.exit(0);
    result.setException(error);
  });
  supervisor.start();
  return result;
}
