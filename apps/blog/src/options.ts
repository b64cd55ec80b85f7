/**
 * Command-line options of the blog: `--port` (or PORT), `--host`, `--db`, `--debug`,
 * `--cookie-secret` (or COOKIE_SECRET), and `--create-user --name N --password P` (or
 * BLOG_PASSWORD) to add an author instead of serving.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The port used when neither `--port` nor `PORT` is given. */
export const DEFAULT_PORT = 8891;

/** The database file used without `--db`: `blog.sqlite` in the app's directory. */
export const DEFAULT_DB = fileURLToPath(new URL('../blog.sqlite', import.meta.url));

/** What `--db` takes to keep the database in memory only. */
export const MEMORY_DB = ':memory:';

/** What the command line asked for. */
export type BlogOptions =
  | {
      readonly command: 'serve';
      readonly port: number;
      readonly host: string;
      /** The database file, or null for in-memory. */
      readonly db: string | null;
      readonly debug: boolean;
      readonly cookieSecret: string | undefined;
    }
  | {
      readonly command: 'create-user';
      readonly db: string | null;
      readonly name: string;
      readonly password: string;
    };

/** Parses `argv` (without node and the script); `env` supplies PORT, COOKIE_SECRET, BLOG_PASSWORD. */
export function parseOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): BlogOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      debug: { type: 'boolean' },
      'cookie-secret': { type: 'string' },
      'create-user': { type: 'boolean' },
      name: { type: 'string' },
      password: { type: 'string' },
    },
  });
  const db = values.db === MEMORY_DB ? null : (values.db ?? DEFAULT_DB);
  if (values['create-user']) {
    const password = values.password ?? env.BLOG_PASSWORD;
    if (!values.name || password === undefined || password.length < 8) {
      throw new RangeError(
        '--create-user needs --name NAME and --password PASSWORD (or BLOG_PASSWORD), at least 8 characters',
      );
    }
    return { command: 'create-user', db, name: values.name, password };
  }
  const portText = values.port ?? env.PORT;
  if (portText !== undefined && (!/^\d+$/.test(portText) || Number(portText) > 65535)) {
    throw new RangeError(`the port must be a whole number from 0 to 65535, got '${portText}'`);
  }
  return {
    command: 'serve',
    port: portText === undefined ? DEFAULT_PORT : Number(portText),
    host: values.host ?? '127.0.0.1',
    db,
    debug: values.debug ?? false,
    cookieSecret: values['cookie-secret'] ?? env.COOKIE_SECRET,
  };
}
