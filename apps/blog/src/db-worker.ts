/**
 * The database thread's module. The thread pool of `BlogDb` runs these exports on its single
 * worker thread, which owns the one sql.js connection (module state lives per thread): every
 * SQL statement, the password hashing and the file writes block that thread, never the loop's.
 *
 * After each change the whole database is saved to its file (sql.js keeps it in memory; its
 * `export()` gives the SQLite file's bytes), written to a temporary file and renamed over the
 * old one so a crash never leaves half a file.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import type { Database, SqlValue } from 'sql.js';
import initSqlJs from 'sql.js';
import { DEFAULT_PASSWORD_COST, hashPassword, verifyPassword } from './password.js';
import type { Author, DatabaseInfo, Entry, EntrySummary } from './records.js';
import { slugify } from './slug.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS authors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES authors(id),
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    html TEXT NOT NULL,
    published INTEGER NOT NULL,
    updated INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS entries_published ON entries(published);
`;

const ENTRY_COLUMNS = `
  e.id AS id, e.author_id AS authorId, a.name AS authorName, e.slug AS slug, e.title AS title,
  e.text AS text, e.html AS html, e.published AS published, e.updated AS updated
  FROM entries e JOIN authors a ON a.id = e.author_id`;

let open: { db: Database; path: string | null; passwordCost: number } | null = null;

function connection(): Database {
  if (open === null) throw new Error('the blog database is not open: call openDatabase first');
  return open.db;
}

function all<T>(sql: string, params: SqlValue[] = []): T[] {
  const statement = connection().prepare(sql);
  try {
    statement.bind(params);
    const rows: T[] = [];
    while (statement.step()) rows.push(statement.getAsObject() as T);
    return rows;
  } finally {
    statement.free();
  }
}

function one<T>(sql: string, params: SqlValue[] = []): T | null {
  return all<T>(sql, params)[0] ?? null;
}

function save(): void {
  if (open?.path == null) return;
  const temporary = `${open.path}.tmp`;
  writeFileSync(temporary, open.db.export());
  renameSync(temporary, open.path);
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Opens (or creates) the database at `path`; null keeps it in memory. New passwords are hashed
 * with scrypt cost `passwordCost`. Opening again closes the database opened before.
 */
export async function openDatabase(
  path: string | null,
  passwordCost = DEFAULT_PASSWORD_COST,
): Promise<DatabaseInfo> {
  const SQL = await initSqlJs(); // sql.js loads its WebAssembly once per thread
  closeDatabase();
  const db =
    path !== null && existsSync(path) ? new SQL.Database(readFileSync(path)) : new SQL.Database();
  open = { db, path, passwordCost };
  db.exec(SCHEMA);
  save();
  return databaseInfo();
}

/** Saves and closes the database; a no-op when none is open. */
export function closeDatabase(): void {
  if (open === null) return;
  save();
  open.db.close();
  open = null;
}

/** Where the database lives, which thread owns it, and how much it holds. */
export function databaseInfo(): DatabaseInfo {
  const count = (table: string): number =>
    one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)?.n ?? 0;
  return {
    path: open?.path ?? null,
    threadId,
    entries: count('entries'),
    authors: count('authors'),
  };
}

/** The newest `limit` entries, newest first. */
export function recentEntries(limit: number): Entry[] {
  return all<Entry>(`SELECT ${ENTRY_COLUMNS} ORDER BY e.published DESC, e.id DESC LIMIT ?`, [
    limit,
  ]);
}

/** Every entry's title and date, newest first. */
export function archiveEntries(): EntrySummary[] {
  return all<EntrySummary>(
    'SELECT slug, title, published FROM entries ORDER BY published DESC, id DESC',
  );
}

/** The entry named `slug`, or null. */
export function entryBySlug(slug: string): Entry | null {
  return one<Entry>(`SELECT ${ENTRY_COLUMNS} WHERE e.slug = ?`, [slug]);
}

/** The entry with id `id`, or null. */
export function entryById(id: number): Entry | null {
  return one<Entry>(`SELECT ${ENTRY_COLUMNS} WHERE e.id = ?`, [id]);
}

function uniqueSlug(title: string): string {
  const base = slugify(title);
  let slug = base;
  for (let n = 2; one('SELECT 1 FROM entries WHERE slug = ?', [slug]) !== null; n++) {
    slug = `${base}-${n}`;
  }
  return slug;
}

/** Publishes a new entry by `authorId` under a slug made unique from its title. */
export function createEntry(authorId: number, title: string, text: string, html: string): Entry {
  const time = now();
  connection().run(
    'INSERT INTO entries (author_id, slug, title, text, html, published, updated) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [authorId, uniqueSlug(title), title, text, html, time, time],
  );
  const id = one<{ id: number }>('SELECT last_insert_rowid() AS id')!.id;
  save();
  return entryById(id)!;
}

/** Changes an entry's title and text (its slug stays, so links keep working); null if missing. */
export function updateEntry(id: number, title: string, text: string, html: string): Entry | null {
  connection().run('UPDATE entries SET title = ?, text = ?, html = ?, updated = ? WHERE id = ?', [
    title,
    text,
    html,
    now(),
    id,
  ]);
  save();
  return entryById(id);
}

/** Adds an author with a scrypt hash of `password`; throws if the name is taken. */
export function createAuthor(name: string, password: string): Author {
  if (one('SELECT 1 FROM authors WHERE name = ?', [name]) !== null) {
    throw new Error(`an author named ${JSON.stringify(name)} already exists`);
  }
  connection().run('INSERT INTO authors (name, password_hash) VALUES (?, ?)', [
    name,
    hashPassword(password, open!.passwordCost),
  ]);
  save();
  return one<Author>('SELECT id, name FROM authors WHERE name = ?', [name])!;
}

/** The author when `name` and `password` match, else null. */
export function checkPassword(name: string, password: string): Author | null {
  const row = one<Author & { hash: string }>(
    'SELECT id, name, password_hash AS hash FROM authors WHERE name = ?',
    [name],
  );
  if (row === null) {
    hashPassword(password, open!.passwordCost); // as slow as a wrong password, so timing does not reveal names
    return null;
  }
  if (!verifyPassword(password, row.hash)) return null;
  return { id: row.id, name: row.name };
}

/** The author with id `id`, or null. */
export function authorById(id: number): Author | null {
  return one<Author>('SELECT id, name FROM authors WHERE id = ?', [id]);
}
