import { coroutine, sleep } from '@tronada/gen';

// A generator coroutine (Tornado's @gen.coroutine)...
export const fetchUser = coroutine(function* (id: number) {
  yield* sleep(0.01); // stand-in for a query
  return { id, name: `user ${id}` };
});

// ...awaited from an async function (Tornado's async def)...
export async function greet(id: number): Promise<string> {
  const user = await fetchUser(id);
  return `hello, ${user.name}`;
}

// ...which a coroutine can yield in turn: Promises and Futures are interchangeable.
export const greetBoth = coroutine(function* () {
  const a = yield* fetchUser(1);
  const b = (yield greet(2)) as string; // plain yield: Tornado's spelling, typed by hand
  return `${a.name}; ${b}`;
});
