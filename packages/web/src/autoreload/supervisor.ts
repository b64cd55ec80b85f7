/**
 * The autoreload supervisor: the first process of an app with `autoreload` on. It runs the
 * same script again as a child and starts a new child whenever the old one exits asking for a
 * restart.
 *
 * Node cannot re-execute itself in place (Tornado calls `os.execv`) or unload ES modules, so a
 * restart means a new process. The supervisor waits with `spawnSync`, from inside the
 * `Application` constructor: that way the rest of the script (say, `app.listen(8888)`) never
 * runs in the supervisor, only in the child. A blocked process cannot forward signals, so the
 * child watches for the supervisor's death instead (see `followParent`); a terminal's Ctrl-C
 * reaches both anyway, as they share the process group.
 */
import { spawnSync } from 'node:child_process';
import { constants } from 'node:os';

/** The environment variable that marks a process as the supervised child. */
export const SUPERVISED_ENV = 'TRONADA_AUTORELOAD_CHILD';

/** The exit status with which a child asks the supervisor for a restart (EX_TEMPFAIL). */
export const RESTART_EXIT_CODE = 75;

/**
 * Runs this process's script (same Node options and arguments, same stdio) as a child until it
 * exits without asking for a restart, then exits the same way: the same status, or the same
 * signal.
 */
export function superviseSync(): never {
  const args = [...process.execArgv, ...process.argv.slice(1)];
  const env = { ...process.env, [SUPERVISED_ENV]: '1' };
  for (;;) {
    const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
    if (result.error !== undefined) throw result.error;
    if (result.status === RESTART_EXIT_CODE) continue;
    if (result.signal !== null) {
      process.kill(process.pid, result.signal);
      process.exit(128 + (constants.signals[result.signal] ?? 0));
    }
    process.exit(result.status ?? 1);
  }
}

/**
 * In the child: when the supervisor goes away (killed by a signal it could not forward),
 * sends this process SIGTERM, checking every `interval` seconds. Returns a stop function.
 */
export function followParent(interval = 0.5): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGTERM');
  }, interval * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
