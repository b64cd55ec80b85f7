/**
 * The plain records the database thread sends back: structured-cloneable objects, so they
 * cross from the worker thread to the loop's thread unchanged.
 */

/** A blog author, as the pages see it (never the password hash). */
export interface Author {
  readonly id: number;
  readonly name: string;
}

/** One blog entry with its author's name. */
export interface Entry {
  readonly id: number;
  readonly authorId: number;
  readonly authorName: string;
  /** The entry's URL name: `/entry/<slug>`. */
  readonly slug: string;
  readonly title: string;
  /** What the author typed (plain text with blank lines between paragraphs). */
  readonly text: string;
  /** `text` as HTML, made when the entry was saved. */
  readonly html: string;
  /** Unix time in seconds. */
  readonly published: number;
  /** Unix time in seconds. */
  readonly updated: number;
}

/** What the archive lists for an entry. */
export interface EntrySummary {
  readonly slug: string;
  readonly title: string;
  readonly published: number;
}

/** Facts about the open database, for the startup log and the tests. */
export interface DatabaseInfo {
  /** The file the database is saved to, or null for an in-memory database. */
  readonly path: string | null;
  /** The worker thread that owns the connection. */
  readonly threadId: number;
  readonly entries: number;
  readonly authors: number;
}
