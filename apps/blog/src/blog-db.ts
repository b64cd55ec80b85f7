/**
 * The loop's side of the database: each method sends one task to a single-thread
 * `ThreadPoolExecutor` whose thread owns the sql.js connection (see db-worker.ts), and returns
 * a Future settled on the loop's thread. Nothing here blocks the loop.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Future, IOLoop, ThreadPoolExecutor } from '@tronada/ioloop';
import type { Author, DatabaseInfo, Entry, EntrySummary } from './records.js';

/**
 * The worker module the database thread imports: plain JavaScript, so the built copy. From the
 * compiled app that is the file beside this one; from the sources (tests run them) it is the
 * one in dist/.
 */
export const DB_WORKER_MODULE: URL = import.meta.url.endsWith('.ts')
  ? new URL('../dist/db-worker.js', import.meta.url)
  : new URL('./db-worker.js', import.meta.url);

/** Options of {@link BlogDb.open}. */
export interface BlogDbOptions {
  /**
   * The database thread: a `ThreadPoolExecutor` with `maxWorkers: 1` that the caller keeps (and
   * shuts down). Default: a new one, shut down by {@link BlogDb.close}.
   */
  readonly thread?: ThreadPoolExecutor;
  /** scrypt's cost N for new password hashes (a power of two); default 16384. */
  readonly passwordCost?: number;
}

/** The posts and authors of the blog, in SQLite owned by a worker thread. */
export class BlogDb {
  #pool: ThreadPoolExecutor;
  #ownsPool: boolean;
  #info: DatabaseInfo;

  private constructor(pool: ThreadPoolExecutor, ownsPool: boolean, info: DatabaseInfo) {
    this.#pool = pool;
    this.#ownsPool = ownsPool;
    this.#info = info;
  }

  /**
   * Opens `path` on the database thread (created if missing; null keeps the database in
   * memory). Resolves once the schema is ready. Throws a RangeError for a pool of more than one
   * thread: the connection is module state of one thread, so every task must land there.
   */
  static async open(path: string | null, options: BlogDbOptions = {}): Promise<BlogDb> {
    if (!existsSync(DB_WORKER_MODULE)) {
      throw new Error(
        `${fileURLToPath(DB_WORKER_MODULE)} is missing: build the blog first (npx tsc -b apps/blog)`,
      );
    }
    if (options.thread !== undefined && options.thread.maxWorkers !== 1) {
      throw new RangeError('the database thread must be a ThreadPoolExecutor with maxWorkers: 1');
    }
    const pool = options.thread ?? new ThreadPoolExecutor({ maxWorkers: 1 });
    const owns = options.thread === undefined;
    try {
      const info = await run<DatabaseInfo>(pool, 'openDatabase', path, options.passwordCost);
      return new BlogDb(pool, owns, info);
    } catch (error) {
      if (owns) await pool.shutdown();
      throw error;
    }
  }

  /** What {@link open} found: the file, the owning thread and the counts at that time. */
  get openedWith(): DatabaseInfo {
    return this.#info;
  }

  /** The current counts, from the database thread. */
  info(): Future<DatabaseInfo> {
    return run(this.#pool, 'databaseInfo');
  }

  /** The newest `limit` entries, newest first. */
  recentEntries(limit = 5): Future<Entry[]> {
    return run(this.#pool, 'recentEntries', limit);
  }

  /** Every entry's slug, title and date, newest first. */
  archive(): Future<EntrySummary[]> {
    return run(this.#pool, 'archiveEntries');
  }

  /** The entry at `/entry/<slug>`, or null. */
  entryBySlug(slug: string): Future<Entry | null> {
    return run(this.#pool, 'entryBySlug', slug);
  }

  /** The entry with this id, or null. */
  entryById(id: number): Future<Entry | null> {
    return run(this.#pool, 'entryById', id);
  }

  /** Publishes an entry; its slug comes from the title (made unique). */
  createEntry(authorId: number, title: string, text: string, html: string): Future<Entry> {
    return run(this.#pool, 'createEntry', authorId, title, text, html);
  }

  /** Changes an entry's title and text; null when there is no such entry. */
  updateEntry(id: number, title: string, text: string, html: string): Future<Entry | null> {
    return run(this.#pool, 'updateEntry', id, title, text, html);
  }

  /** Adds an author (the password is hashed with scrypt on the database thread). */
  createAuthor(name: string, password: string): Future<Author> {
    return run(this.#pool, 'createAuthor', name, password);
  }

  /** The author whose name and password match, else null. */
  checkPassword(name: string, password: string): Future<Author | null> {
    return run(this.#pool, 'checkPassword', name, password);
  }

  /** The author with this id, or null. */
  authorById(id: number): Future<Author | null> {
    return run(this.#pool, 'authorById', id);
  }

  /** Saves and closes the database, then stops its thread (unless the caller gave it). */
  async close(): Promise<void> {
    try {
      await run(this.#pool, 'closeDatabase');
    } finally {
      if (this.#ownsPool) await this.#pool.shutdown();
    }
  }
}

function run<R>(pool: ThreadPoolExecutor, name: string, ...args: unknown[]): Future<R> {
  return IOLoop.current().runInExecutor(
    pool,
    { module: DB_WORKER_MODULE, name },
    ...args,
  ) as Future<R>;
}
