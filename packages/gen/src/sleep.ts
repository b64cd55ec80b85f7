import { Future, futureSetResultUnlessCancelled, IOLoop } from '@tronada/ioloop';

/**
 * A Future that resolves after `seconds` on the current IOLoop's clock (a virtual clock in
 * tests). `yield sleep(1)` pauses a coroutine without blocking the loop. Cancelling the Future
 * removes its timer.
 *
 * @see Tornado `tornado.gen.sleep`
 */
export function sleep(seconds: number): Future<void> {
  const future = new Future<void>();
  const loop = IOLoop.current();
  const handle = loop.callLater(seconds, () => futureSetResultUnlessCancelled(future, undefined));
  future.setCancelHandler(() => loop.removeTimeout(handle));
  return future;
}
