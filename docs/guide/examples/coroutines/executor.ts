import { coroutine } from '@tronada/gen';
import { IOLoop, type ThreadPoolExecutor } from '@tronada/ioloop';

// CPU-heavy or blocking work goes to a worker thread; the loop keeps serving meanwhile.
// A thread-pool task is a module and an export name, since closures cannot cross threads.
const hashPassword = { module: new URL('./hash-task.mjs', import.meta.url), name: 'hashPassword' };

export const checkPassword = coroutine(function* (
  pool: ThreadPoolExecutor,
  password: string,
  expected: string,
) {
  const digest = yield* IOLoop.current().runInExecutor<[string], string>(
    pool,
    hashPassword,
    password,
  );
  return digest === expected;
});
