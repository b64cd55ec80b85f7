/**
 * ReloadWatcher and the autoreload file filters, with an in-memory file system and manual
 * timers, so every event and every quiet period is explicit.
 */
import { join } from 'node:path';
import { genLog, type LogRecord } from '@tronada/ioloop';
import { describe, expect, it } from 'vitest';
import { autoreload, isSourceFile, isWatchedDirectoryFile } from '../src/autoreload/autoreload.js';
import {
  ReloadWatcher,
  type WatchFileSystem,
  type WatchTimers,
} from '../src/autoreload/reload-watcher.js';

/** Directories as a set of paths; watchers by directory; events sent by hand. */
class FakeFs implements WatchFileSystem {
  readonly dirs = new Set<string>();
  readonly listeners = new Map<string, (name: string | null) => void>();
  closed = 0;

  constructor(dirs: string[]) {
    for (const dir of dirs) this.dirs.add(dir);
  }

  watch(directory: string, listener: (name: string | null) => void): { close(): void } {
    if (!this.dirs.has(directory)) throw new Error(`ENOENT: ${directory}`);
    this.listeners.set(directory, listener);
    return {
      close: () => {
        this.closed += 1;
        this.listeners.delete(directory);
      },
    };
  }

  subdirectories(directory: string): string[] {
    const names: string[] = [];
    for (const dir of this.dirs) {
      if (dir !== directory && join(dir, '..') === directory)
        names.push(dir.slice(directory.length + 1));
    }
    return names;
  }

  isDirectory(path: string): boolean {
    return this.dirs.has(path);
  }

  /** Reports a change of entry `name` in `directory` (if it is watched). */
  emit(directory: string, name: string | null): void {
    this.listeners.get(directory)?.(name);
  }
}

/** Timers that run only when told to. */
class ManualTimers implements WatchTimers {
  readonly pending = new Map<number, { callback: () => void; seconds: number }>();
  #next = 0;

  set(callback: () => void, seconds: number): unknown {
    this.#next += 1;
    this.pending.set(this.#next, { callback, seconds });
    return this.#next;
  }

  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Runs every pending timer (the quiet period has passed). */
  runAll(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const timer of due) timer.callback();
  }
}

function setup(dirs: string[], options: { maxDirectories?: number } = {}) {
  const fs = new FakeFs(dirs);
  const timers = new ManualTimers();
  const changes: string[] = [];
  const limits: number[] = [];
  const watcher = new ReloadWatcher({
    fs,
    timers,
    debounce: 0.25,
    onChange: (path) => changes.push(path),
    onLimit: (limit) => limits.push(limit),
    ...options,
  });
  return { fs, timers, changes, limits, watcher };
}

describe('ReloadWatcher', () => {
  it('watches every directory of a tree except node_modules and hidden ones', () => {
    const { watcher } = setup([
      '/app',
      '/app/lib',
      '/app/lib/deep',
      '/app/node_modules',
      '/app/node_modules/pkg',
      '/app/.git',
    ]);
    watcher.addTree('/app', isSourceFile);
    expect(watcher.directories.sort()).toEqual(['/app', '/app/lib', '/app/lib/deep']);
  });

  it('reports the first accepted change once, after a quiet period', () => {
    const { fs, timers, changes, watcher } = setup(['/app', '/app/lib']);
    watcher.addTree('/app', isSourceFile);
    fs.emit('/app/lib', 'util.js');
    fs.emit('/app', 'main.js');
    fs.emit('/app/lib', 'util.js');
    expect(changes).toEqual([]);
    // Each event restarts the quiet period: only the last timer is still pending.
    expect([...timers.pending.values()].map((t) => t.seconds)).toEqual([0.25]);
    timers.runAll();
    expect(changes).toEqual(['/app/lib/util.js']);
    // It stopped: later events are not reported.
    fs.emit('/app', 'main.js');
    timers.runAll();
    expect(changes).toEqual(['/app/lib/util.js']);
    expect(watcher.directories).toEqual([]);
  });

  it('ignores files the filter rejects and events without a name', () => {
    const { fs, timers, changes, watcher } = setup(['/app']);
    watcher.addTree('/app', isSourceFile);
    fs.emit('/app', 'data.sqlite');
    fs.emit('/app', '.main.js.swp');
    fs.emit('/app', 'notes.txt');
    fs.emit('/app', null);
    expect(timers.pending.size).toBe(0);
    fs.emit('/app', 'config.json');
    timers.runAll();
    expect(changes).toEqual(['/app/config.json']);
  });

  it('starts watching a directory created inside a tree, but not a new node_modules', () => {
    const { fs, timers, changes, watcher } = setup(['/app']);
    watcher.addTree('/app', isSourceFile);
    fs.dirs.add('/app/routes');
    fs.dirs.add('/app/routes/admin');
    fs.dirs.add('/app/node_modules');
    fs.emit('/app', 'routes');
    fs.emit('/app', 'node_modules');
    expect(watcher.directories.sort()).toEqual(['/app', '/app/routes', '/app/routes/admin']);
    // A directory is not a source file, so creating one is no change by itself.
    expect(timers.pending.size).toBe(0);
    fs.emit('/app/routes/admin', 'users.ts');
    timers.runAll();
    expect(changes).toEqual(['/app/routes/admin/users.ts']);
  });

  it('watches single files through their directory, whatever their name', () => {
    const { fs, timers, changes, watcher } = setup(['/etc/app']);
    watcher.addFile('/etc/app/settings.yaml');
    expect(watcher.directories).toEqual(['/etc/app']);
    fs.emit('/etc/app', 'other.yaml');
    expect(timers.pending.size).toBe(0);
    fs.emit('/etc/app', 'settings.yaml');
    timers.runAll();
    expect(changes).toEqual(['/etc/app/settings.yaml']);
  });

  it('accepts every file of a template tree except editor leftovers', () => {
    const { fs, timers, changes, watcher } = setup(['/app', '/app/templates']);
    watcher.addTree('/app', isSourceFile);
    watcher.addTree('/app/templates', isWatchedDirectoryFile);
    expect(watcher.directories.sort()).toEqual(['/app', '/app/templates']);
    for (const name of ['page.html~', '.page.html.swp', '4913', 'page.html.tmp']) {
      fs.emit('/app/templates', name);
    }
    expect(timers.pending.size).toBe(0);
    fs.emit('/app/templates', 'page.html');
    timers.runAll();
    expect(changes).toEqual(['/app/templates/page.html']);
  });

  it('skips directories that cannot be watched and stops at the directory limit', () => {
    const { limits, watcher } = setup(['/a', '/a/b', '/a/c', '/a/d'], { maxDirectories: 2 });
    watcher.addFile('/missing/dir/file.js');
    watcher.addTree('/a', isSourceFile);
    expect(watcher.directories).toHaveLength(2);
    expect(limits).toEqual([2]);
  });

  it('reports nothing after close, even for a change already waiting', () => {
    const { fs, timers, changes, watcher } = setup(['/app']);
    watcher.addTree('/app', isSourceFile);
    fs.emit('/app', 'main.js');
    watcher.close();
    expect(timers.pending.size).toBe(0);
    fs.emit('/app', 'main.js');
    expect(fs.closed).toBe(1);
    expect(changes).toEqual([]);
  });
});

describe('autoreload file filters', () => {
  it('counts script, TypeScript and JSON files as sources, not hidden ones', () => {
    const yes = ['a.js', 'a.mjs', 'a.cjs', 'a.ts', 'a.mts', 'a.tsx', 'package.json'];
    const no = ['a.html', 'a.css', 'db.sqlite', '.eslintrc.json', 'a.js.map', 'README.md'];
    expect(yes.filter((name) => isSourceFile(`/app/${name}`))).toEqual(yes);
    expect(no.filter((name) => isSourceFile(`/app/${name}`))).toEqual([]);
  });
});

describe('autoreload.start under a test runner', () => {
  it('stays off, saying why at debug level, when the entry script is under node_modules', () => {
    const records: LogRecord[] = [];
    const remove = genLog.addHandler((record) => {
      records.push(record);
      return true;
    });
    try {
      autoreload.start({ paths: ['/nonexistent/templates'] });
      autoreload.start();
    } finally {
      remove();
    }
    // The test itself is proof that no supervisor started: this call returned.
    expect(records.map((r) => [r.level, r.message])).toEqual([
      [
        'debug',
        expect.stringMatching(/^autoreload is off: the entry script .*node_modules.* is a tool's/),
      ],
    ]);
  });
});
