/**
 * The blog program: `npm start -w apps/blog` serves http://127.0.0.1:8891/ (`--port` or PORT
 * to change it); `npm run create-user -w apps/blog -- --name ada --password ...` adds an author.
 * Ctrl-C stops the server and saves the database.
 */
import { enablePrettyLogging } from '@tronada/ioloop';
import { makeApp } from './blog-app.js';
import { BlogDb } from './blog-db.js';
import { parseOptions } from './options.js';

enablePrettyLogging();
const options = parseOptions(process.argv.slice(2), process.env);
const db = await BlogDb.open(options.db);
const where = options.db ?? 'memory';

if (options.command === 'create-user') {
  try {
    const author = await db.createAuthor(options.name, options.password);
    console.log(`Created author ${author.name} (id ${author.id}) in ${where}`);
  } finally {
    await db.close();
  }
} else {
  const app = makeApp({ db, cookieSecret: options.cookieSecret, debug: options.debug });
  const server = await app.listen(options.port, options.host);
  const { threadId, entries, authors } = db.openedWith;
  console.log(
    `Database ${where} (thread ${threadId}): ${entries} entries, ${authors} authors` +
      (authors === 0 ? '; the first author signs up at /auth/create' : ''),
  );
  console.log(`Listening on http://${options.host}:${server.port}/ (Ctrl-C stops it)`);
  process.once('SIGINT', () => {
    server.stop();
    void server
      .closeAllConnections()
      .then(() => db.close())
      .then(() => process.exit(0));
  });
}
