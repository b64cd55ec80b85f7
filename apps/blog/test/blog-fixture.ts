/**
 * The blog under test: a fresh in-memory database (on its worker thread) and the application on
 * a free port, per test. Helpers sign in and post forms as a browser would.
 */
import { ThreadPoolExecutor } from '@tronada/ioloop';
import { useTestLoop } from '@tronada/testing';
import type { Application } from '@tronada/web';
import {
  type AsyncHTTPTestCase,
  type TestResponse,
  useAsyncHTTPTestCase,
} from '@tronada/web/testing';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { makeApp } from '../src/blog-app.js';
import { BlogDb } from '../src/blog-db.js';

/** The XSRF cookie and form value the helpers send (an unmasked v1 token, as old clients send). */
export const XSRF = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
/** The test author's name and password. */
export const ADA = { name: 'ada', password: 'correct horse' } as const;

/** A form body from `fields`. */
export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** The `name=value` pairs of a response's `Set-Cookie` headers. */
export function setCookies(response: TestResponse): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const line of response.headers.getList('Set-Cookie')) {
    const pair = line.split(';', 1)[0]!;
    const at = pair.indexOf('=');
    cookies[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return cookies;
}

/** What each test gets: the database and the server. */
export interface BlogUnderTest {
  readonly db: BlogDb;
  readonly server: AsyncHTTPTestCase<Application>;
  /** Adds the test author and returns a `Cookie` header that signs them in (and carries XSRF). */
  signIn(): Promise<string>;
  /** POSTs a form with the XSRF token (and `cookie`, if given). */
  post(path: string, fields: Record<string, string>, cookie?: string): Promise<TestResponse>;
}

/** scrypt's cost for the test authors' passwords: cheap, where the default takes 50 ms or more. */
export const TEST_PASSWORD_COST = 1024;

/**
 * Registers the set-up and tear-down; call at the top of a test file. One database thread
 * serves the file (starting one and loading sql.js takes a while); each test gets a new empty
 * in-memory database on it.
 */
export function useBlog(): BlogUnderTest {
  useTestLoop({ beforeEach, afterEach }, { clock: false });
  let thread: ThreadPoolExecutor | null = null;
  let db: BlogDb | null = null;
  beforeAll(() => {
    thread = new ThreadPoolExecutor({ maxWorkers: 1 });
  });
  afterAll(async () => {
    await thread?.shutdown();
  });
  beforeEach(async () => {
    db = await BlogDb.open(null, { thread: thread!, passwordCost: TEST_PASSWORD_COST });
  });
  // Hooks after a test run in reverse order: the server stops before the database closes.
  afterEach(async () => {
    await db?.close();
    db = null;
  });
  const http = useAsyncHTTPTestCase({ beforeEach, afterEach }, () =>
    makeApp({ db: database(), cookieSecret: 'blog test secret' }),
  );
  const database = (): BlogDb => {
    if (db === null) throw new Error('no test is running');
    return db;
  };
  const post: BlogUnderTest['post'] = (path, fields, cookie) =>
    http.current.fetch(path, {
      method: 'POST',
      body: form({ _xsrf: XSRF, ...fields }),
      headers: { Cookie: `_xsrf=${XSRF}${cookie ? `; ${cookie}` : ''}` },
      followRedirects: false,
    });
  return {
    get db() {
      return database();
    },
    get server() {
      return http.current;
    },
    post,
    async signIn() {
      await database().createAuthor(ADA.name, ADA.password);
      const response = await post('/auth/login', { name: ADA.name, password: ADA.password });
      const cookie = setCookies(response).blog_author;
      if (response.code !== 302 || cookie === undefined) {
        throw new Error(`sign-in failed: ${response.code} ${response.text}`);
      }
      return `blog_author=${cookie}`;
    },
  };
}
