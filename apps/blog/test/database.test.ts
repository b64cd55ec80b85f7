import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { IOLoop, ThreadPoolExecutor } from '@tronada/ioloop';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { BlogDb } from '../src/blog-db.js';
import { TEST_PASSWORD_COST } from './blog-fixture.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tronada-blog-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function openDb(path: string | null = null): Promise<BlogDb> {
  const db = await BlogDb.open(path, { passwordCost: TEST_PASSWORD_COST });
  onTestFinished(() => db.close());
  return db;
}

describe('BlogDb (SQLite through sql.js on a worker thread)', () => {
  it('runs its SQL on its own thread, not the loop’s', async () => {
    const db = await openDb();
    expect(db.openedWith.threadId).not.toBe(threadId);
    expect((await db.info()).threadId).toBe(db.openedWith.threadId);
    expect(db.openedWith).toMatchObject({ path: null, entries: 0, authors: 0 });
  });

  it('keeps the loop running while the database thread hashes a password', async () => {
    // The default scrypt cost: tens of milliseconds of blocking work, on the other thread.
    const db = await BlogDb.open(null);
    onTestFinished(() => db.close());
    const creating = db.createAuthor('ada', 'a long password');
    let stillRunning: boolean | null = null;
    IOLoop.current().addCallback(() => {
      stillRunning = !creating.done();
    });
    const author = await creating;
    expect(stillRunning).toBe(true);
    expect(author).toEqual({ id: 1, name: 'ada' });
  });

  it('checks passwords and never hands out the hash', async () => {
    const db = await openDb();
    const ada = await db.createAuthor('ada', 'a long password');
    expect(await db.checkPassword('ada', 'a long password')).toEqual(ada);
    expect(await db.checkPassword('ada', 'a wrong password')).toBeNull();
    expect(await db.checkPassword('nobody', 'a long password')).toBeNull();
    expect(await db.authorById(ada.id)).toEqual(ada);
    await expect(db.createAuthor('ada', 'another one')).rejects.toThrow(/already exists/);
  });

  it('stores entries with unique slugs, newest first, and edits them in place', async () => {
    const db = await openDb();
    const { id: author } = await db.createAuthor('ada', 'a long password');
    const first = await db.createEntry(author, 'Same title', 'a', '<p>a</p>');
    const second = await db.createEntry(author, 'Same title', 'b', '<p>b</p>');
    expect([first.slug, second.slug]).toEqual(['same-title', 'same-title-2']);
    expect(second).toMatchObject({ authorName: 'ada', title: 'Same title', html: '<p>b</p>' });
    expect((await db.recentEntries(1)).map((e) => e.slug)).toEqual(['same-title-2']);
    expect((await db.archive()).map((e) => e.slug)).toEqual(['same-title-2', 'same-title']);
    const edited = await db.updateEntry(first.id, 'New title', 'c', '<p>c</p>');
    expect(edited).toMatchObject({ slug: 'same-title', title: 'New title', text: 'c' });
    expect(await db.updateEntry(999, 't', 'x', 'x')).toBeNull();
    expect(await db.entryBySlug('missing')).toBeNull();
  });

  it('saves to its file and finds everything again when reopened', async () => {
    const path = join(tempDir(), 'blog.sqlite');
    const db = await BlogDb.open(path, { passwordCost: TEST_PASSWORD_COST });
    const { id } = await db.createAuthor('ada', 'a long password');
    await db.createEntry(id, 'Kept', 'text', '<p>text</p>');
    await db.close();
    const again = await openDb(path);
    expect(again.openedWith).toMatchObject({ path, entries: 1, authors: 1 });
    expect((await again.entryBySlug('kept'))?.authorName).toBe('ada');
    expect(await again.checkPassword('ada', 'a long password')).not.toBeNull();
  });

  it('shares a caller’s one-thread pool, and refuses a bigger one', async () => {
    const thread = new ThreadPoolExecutor({ maxWorkers: 1 });
    onTestFinished(() => thread.shutdown());
    const db = await BlogDb.open(null, { thread });
    await db.close();
    // The thread outlives the database it served.
    const next = await BlogDb.open(null, { thread });
    expect(next.openedWith.threadId).toBe(db.openedWith.threadId);
    await next.close();
    const wide = new ThreadPoolExecutor({ maxWorkers: 2 });
    onTestFinished(() => wide.shutdown());
    await expect(BlogDb.open(null, { thread: wide })).rejects.toThrow(/maxWorkers: 1/);
  });
});
