import { coroutine, Queue, sleep } from '@tronada/gen';
import { IOLoop } from '@tronada/ioloop';

export async function producerConsumer(log: (line: string) => void): Promise<void> {
  const q = new Queue<number>(2); // at most two items waiting: put() waits beyond that

  const consumer = coroutine(function* () {
    for (;;) {
      const item = yield* q.get();
      try {
        log(`Doing work on ${item}`);
        yield* sleep(0.01);
      } finally {
        q.taskDone();
      }
    }
  });

  const producer = coroutine(function* () {
    for (let item = 0; item < 5; item++) {
      yield* q.put(item);
      log(`Put ${item}`);
    }
  });

  IOLoop.current().spawnCallback(consumer); // runs for ever; nobody waits for it
  await producer(); // wait for the producer to put all tasks
  await q.join(); // wait for the consumer to finish all tasks
  log('Done');
}
