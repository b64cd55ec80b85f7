import { sleep, WaitIterator } from '@tronada/gen';

const after = (seconds: number, value: string) => sleep(seconds).then(() => value);

// Results in the order they finish, with the index of each; `for await` works too.
export async function firstComeFirstServed(): Promise<string[]> {
  const order: string[] = [];
  const waiter = new WaitIterator(after(0.03, 'slow'), after(0.01, 'fast'), after(0.02, 'medium'));
  while (!waiter.done()) {
    const result = await waiter.next();
    order.push(`${result} (#${String(waiter.currentIndex)})`);
  }
  return order;
}
