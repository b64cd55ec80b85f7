/**
 * ReloadWatcher: watches directory trees and single files, and reports the first change once
 * the file system has been quiet for a moment (editors write a file in several steps).
 *
 * Recursive `fs.watch` cannot skip `node_modules`, so each directory gets its own
 * non-recursive watcher, and directories created later are added as they appear. Files are
 * watched through their directory, which also sees editors that save by renaming a new file
 * over the old one (a watcher on the file itself would follow the old inode).
 */
import { readdirSync, statSync, watch } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';

/** The file system operations ReloadWatcher uses (replaced in tests). */
export interface WatchFileSystem {
  /** Watches `directory` (not its subdirectories); calls `listener` with changed entry names. */
  watch(directory: string, listener: (name: string | null) => void): { close(): void };
  /** The names of the subdirectories of `directory` (none when it cannot be read). */
  subdirectories(directory: string): string[];
  /** True when `path` is a directory. */
  isDirectory(path: string): boolean;
}

/** Timer functions for the quiet period (replaced in tests). */
export interface WatchTimers {
  set(callback: () => void, seconds: number): unknown;
  clear(handle: unknown): void;
}

/** Options of {@link ReloadWatcher}. */
export interface ReloadWatcherOptions {
  /** Called once, with the first changed path, after `debounce` quiet seconds. */
  onChange: (path: string) => void;
  /** Seconds without further changes before `onChange` runs (default 0.1). */
  debounce?: number;
  /** Most directories watched (default 2000); more are skipped with a call to `onLimit`. */
  maxDirectories?: number;
  /** Called once when `maxDirectories` is reached. */
  onLimit?: (limit: number) => void;
  fs?: WatchFileSystem;
  timers?: WatchTimers;
}

interface WatchRule {
  readonly root: string;
  readonly tree: boolean;
  readonly accept: (path: string) => boolean;
}

/** The node:fs implementation of {@link WatchFileSystem}. */
export const nodeWatchFileSystem: WatchFileSystem = {
  watch(directory, listener) {
    // Not persistent: the watcher alone must not keep the process alive.
    const watcher = watch(directory, { persistent: false }, (_event, name) =>
      listener(name === null ? null : String(name)),
    );
    // A watched directory that disappears reports an error; the parent's watcher sees that.
    watcher.on('error', () => watcher.close());
    return watcher;
  },
  subdirectories(directory) {
    try {
      return readdirSync(directory, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name);
    } catch {
      return [];
    }
  },
  isDirectory(path) {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  },
};

const nodeTimers: WatchTimers = {
  set(callback, seconds) {
    const timer = setTimeout(callback, seconds * 1000);
    timer.unref();
    return timer;
  },
  clear(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/** True for directory names a source tree walk skips: `node_modules` and hidden ones. */
export function isIgnoredDirectoryName(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

/**
 * Watches trees and files; see the module comment. After reporting a change it stops, as the
 * process is about to restart.
 */
export class ReloadWatcher {
  readonly #fs: WatchFileSystem;
  readonly #timers: WatchTimers;
  readonly #onChange: (path: string) => void;
  readonly #onLimit: ((limit: number) => void) | undefined;
  readonly #debounce: number;
  readonly #maxDirectories: number;
  readonly #watchers = new Map<string, { close(): void }>();
  readonly #rules: WatchRule[] = [];
  #timer: unknown = null;
  #firstChange: string | null = null;
  #closed = false;
  #limitReported = false;

  constructor(options: ReloadWatcherOptions) {
    this.#fs = options.fs ?? nodeWatchFileSystem;
    this.#timers = options.timers ?? nodeTimers;
    this.#onChange = options.onChange;
    this.#onLimit = options.onLimit;
    this.#debounce = options.debounce ?? 0.1;
    this.#maxDirectories = options.maxDirectories ?? 2000;
  }

  /** The directories watched now. */
  get directories(): string[] {
    return [...this.#watchers.keys()];
  }

  /**
   * Watches `root` and its subdirectories (except `node_modules` and hidden ones, also when
   * created later); changes of paths `accept` approves count.
   */
  addTree(root: string, accept: (path: string) => boolean): void {
    if (this.#closed) return;
    this.#rules.push({ root, tree: true, accept });
    this.#watchTree(root);
  }

  /** Watches the single file `path` (which need not exist yet). */
  addFile(path: string): void {
    if (this.#closed) return;
    this.#rules.push({ root: path, tree: false, accept: (changed) => changed === path });
    this.#watchDirectory(dirname(path));
  }

  /** Stops watching; no `onChange` call happens after this. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    this.#timer = null;
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }

  #watchTree(directory: string): void {
    if (!this.#watchDirectory(directory)) return;
    for (const name of this.#fs.subdirectories(directory)) {
      if (!isIgnoredDirectoryName(name)) this.#watchTree(join(directory, name));
    }
  }

  #watchDirectory(directory: string): boolean {
    if (this.#watchers.has(directory)) return true;
    if (this.#watchers.size >= this.#maxDirectories) {
      if (!this.#limitReported) {
        this.#limitReported = true;
        this.#onLimit?.(this.#maxDirectories);
      }
      return false;
    }
    try {
      this.#watchers.set(
        directory,
        this.#fs.watch(directory, (name) => this.#changed(directory, name)),
      );
      return true;
    } catch {
      // A missing directory (a watched file's folder not created yet) cannot be watched.
      return false;
    }
  }

  #changed(directory: string, name: string | null): void {
    if (this.#closed || name === null) return;
    const path = join(directory, name);
    const rules = this.#rules.filter((rule) => covers(rule, path));
    if (rules.length === 0) return;
    if (
      rules.some((rule) => rule.tree) &&
      !isIgnoredDirectoryName(basename(path)) &&
      this.#fs.isDirectory(path)
    ) {
      this.#watchTree(path);
    }
    if (rules.some((rule) => rule.accept(path))) this.#schedule(path);
  }

  #schedule(path: string): void {
    this.#firstChange ??= path;
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    this.#timer = this.#timers.set(() => {
      const changed = this.#firstChange!;
      this.close();
      this.#onChange(changed);
    }, this.#debounce);
  }
}

function covers(rule: WatchRule, path: string): boolean {
  if (!rule.tree) return path === rule.root;
  const inside = relative(rule.root, path);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    return false;
  }
  return !inside.split(sep).slice(0, -1).some(isIgnoredDirectoryName);
}
