/**
 * autoreload: restarts the app process when one of its source files or templates changes
 * (Tornado's `tornado.autoreload`), through the supervisor of ./supervisor.ts.
 */
import cluster from 'node:cluster';
import { realpathSync } from 'node:fs';
import { basename, dirname, extname, resolve, sep } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { appLog, genLog } from '@tronada/ioloop';
import { taskId } from '@tronada/iostream';
import { nodeWatchFileSystem, ReloadWatcher } from './reload-watcher.js';
import { followParent, RESTART_EXIT_CODE, SUPERVISED_ENV, superviseSync } from './supervisor.js';

/** Options of {@link autoreload.start}. */
export interface AutoreloadOptions {
  /** More directories (every file in them counts, like templates) or files to watch. */
  paths?: readonly string[];
  /** Quiet seconds after the last change before restarting (default 0.1). */
  debounce?: number;
}

const sourceExtensions = new Set([
  '.js',
  '.mjs',
  '.cjs',
  '.jsx',
  '.ts',
  '.mts',
  '.cts',
  '.tsx',
  '.json',
]);

const watchedFiles = new Set<string>();
const reloadHooks: Array<() => void> = [];
let watcher: ReloadWatcher | null = null;
let decided = false;

/** Source files of the app tree: script, TypeScript and JSON files, not hidden ones. */
export function isSourceFile(path: string): boolean {
  return !basename(path).startsWith('.') && sourceExtensions.has(extname(path));
}

/** Files of a watched directory such as the templates, less editors' temporary files. */
export function isWatchedDirectoryFile(path: string): boolean {
  const name = basename(path);
  return !/^\.|~$|\.(swp|swx|tmp)$|^4913$/.test(name);
}

function warn(message: string): void {
  if (genLog.isEnabledFor('warn')) genLog.warn(message);
  else process.emitWarning(message, { code: 'TRONADA_AUTORELOAD' });
}

/** Why this process cannot restart itself, or null when it can. */
function unsupported(entry: string | undefined): string | null {
  if (!isMainThread) return 'it runs in a worker thread';
  if (entry === undefined) return 'the process has no entry script';
  if (entry.split(sep).includes('node_modules')) {
    return `the entry script ${entry} is a tool's (a test runner, a process manager), not the app's`;
  }
  return null;
}

function entryScript(): string | undefined {
  const entry = process.argv[1];
  if (entry === undefined) return undefined;
  try {
    return realpathSync(entry);
  } catch {
    return resolve(entry);
  }
}

function restart(path: string): void {
  genLog.info(`${path} modified; restarting server`);
  for (const hook of reloadHooks) {
    try {
      hook();
    } catch (error) {
      appLog.error('Error in an autoreload hook', error);
    }
  }
  process.exit(RESTART_EXIT_CODE);
}

function startWatching(entry: string, options: AutoreloadOptions): ReloadWatcher {
  const active = new ReloadWatcher({
    onChange: restart,
    ...(options.debounce !== undefined && { debounce: options.debounce }),
    onLimit: (limit) =>
      warn(`autoreload watches at most ${limit} directories; changes in the others are missed`),
  });
  active.addTree(dirname(entry), isSourceFile);
  for (const file of watchedFiles) active.addFile(file);
  followParent();
  // TCPServer.start(n) / forkProcesses fork later: from then on, restarting this primary alone
  // would orphan or duplicate the workers.
  cluster.once('fork', () => {
    warn('autoreload is incompatible with multi-process mode; files are no longer watched');
    active.close();
  });
  return active;
}

function addPaths(active: ReloadWatcher, paths: readonly string[]): void {
  for (const path of paths) {
    const full = resolve(path);
    // A path that is not there yet is watched as a file.
    if (nodeWatchFileSystem.isDirectory(full)) active.addTree(full, isWatchedDirectoryFile);
    else active.addFile(full);
  }
}

/**
 * Restarting the server when its code changes, as Tornado's `tornado.autoreload` module.
 * `Application` calls {@link autoreload.start} when the `autoreload` (or `debug`) setting is
 * on; applications rarely call it themselves.
 *
 * @see Tornado `tornado.autoreload`
 */
export const autoreload = {
  /**
   * Starts watching, once per process; later calls only add `paths`.
   *
   * In the first process this call does not return: the process becomes a supervisor that
   * runs the same script as a child process, and starts it again whenever it restarts. In the
   * child, it watches the entry script's directory tree for source files (`.js`, `.mjs`,
   * `.ts`, `.json` and the like; not `node_modules` or hidden directories), every file under
   * `paths` (the application passes `templatePath`) and the files given to
   * {@link autoreload.watch}. On a change it logs `<file> modified; restarting server`, runs
   * the reload hooks and exits, and the supervisor starts a fresh process. Requests in
   * progress are cut off, as in Tornado. When the supervisor dies, the child follows it.
   *
   * Nothing happens in a cluster worker, and watching stops when the process forks workers
   * (`TCPServer.start(n)`), with a warning: autoreload is single-process only. It is also
   * skipped (silently) in worker threads and when the entry script lies under
   * `node_modules` (a test runner or process manager, not the app).
   *
   * @see Tornado `tornado.autoreload.start`
   */
  start(options: AutoreloadOptions = {}): void {
    if (watcher !== null) {
      addPaths(watcher, options.paths ?? []);
      return;
    }
    if (decided) return;
    decided = true;
    if (cluster.isWorker) {
      // forkProcesses workers have a task id; their primary already warned.
      if (taskId() === null)
        warn(
          'autoreload is incompatible with multi-process mode; it is off in this cluster worker',
        );
      return;
    }
    const entry = entryScript();
    const reason = unsupported(entry);
    if (reason !== null) {
      genLog.debug(`autoreload is off: ${reason}`);
      return;
    }
    if (process.env[SUPERVISED_ENV] !== '1') superviseSync();
    // Processes this app starts are not supervised by us.
    delete process.env[SUPERVISED_ENV];
    watcher = startWatching(entry!, options);
    addPaths(watcher, options.paths ?? []);
  },

  /**
   * Adds a file whose changes restart the process (all source files of the app's directory
   * are watched already).
   *
   * @see Tornado `tornado.autoreload.watch`
   */
  watch(path: string): void {
    const full = resolve(path);
    watchedFiles.add(full);
    watcher?.addFile(full);
  },

  /**
   * Adds a function to run just before the process exits to restart (close files, flush
   * logs). A hook that throws is logged and the others still run.
   *
   * @see Tornado `tornado.autoreload.add_reload_hook`
   */
  addReloadHook(fn: () => void): void {
    reloadHooks.push(fn);
  },
};
