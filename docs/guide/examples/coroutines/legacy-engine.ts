import { Callback, engine, Task, Wait, WaitMany } from '@tronada/gen';
import { IOLoop } from '@tronada/ioloop';

// A callback-style API: the callback is its last argument.
export function lookup(name: string, callback: (address: string) => void): void {
  IOLoop.current().callLater(0.01, () => callback(`10.0.0.${name.length}`));
}

// Tornado 3's style, for porting callback-era code line by line: engine + Task / Callback / Wait.
export const resolveAll = engine(function* (names: string[], done: (addresses: string[]) => void) {
  const first = yield* Task(lookup, names[0]!); // call lookup(name, callback), wait for it
  for (const name of names.slice(1)) lookup(name, yield* new Callback(name));
  const waited = yield* new Wait(names[1]!); // one key
  const rest = yield* new WaitMany(names.slice(2)); // the others, in key order
  done([first, String(waited), ...(rest as string[])]);
});
