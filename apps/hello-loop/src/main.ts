/**
 * The loop sample: `npm start` (from the repository root) runs two coroutines on one IOLoop.
 * Both print "sleeping", then, one second later, both print "awake!".
 */
import { IOLoop } from '@tronada/ioloop';
import { twoSleepers } from './sleepers.js';

const started = performance.now();
await IOLoop.current().runSync(() => twoSleepers(1, (line) => console.log(line)));
console.log(
  `both done in ${((performance.now() - started) / 1000).toFixed(2)} s (one sleep, not two)`,
);
