import { Future } from '@tronada/ioloop';

/**
 * Yield `moment` (or `null`/`undefined`) in a coroutine to let the IOLoop run one iteration
 * before continuing. It is a done Future of `undefined` everywhere else (in `multi`, `await`).
 *
 * @see Tornado `tornado.gen.moment`
 */
export const moment: Future<void> = Future.resolved(undefined);
