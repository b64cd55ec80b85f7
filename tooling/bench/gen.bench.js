/**
 * Coroutine benchmarks against native async/await, measured in the same run.
 */

import { coroutine } from '@tronada/gen';
import { Future, IOLoop } from '@tronada/ioloop';
import { compare } from './harness.js';

const N = 1_000_000;
const P = 200_000;
const E = 20_000;

const done = Future.resolved(1);
const resolved = Promise.resolve(1);

const yieldDone = coroutine(function* () {
  let sum = 0;
  for (let i = 0; i < N; i++) sum += yield done;
  return sum;
});

async function awaitResolved() {
  let sum = 0;
  for (let i = 0; i < N; i++) sum += await resolved;
  return sum;
}

const yieldPending = coroutine(function* () {
  let sum = 0;
  for (let i = 0; i < P; i++) {
    const f = new Future();
    queueMicrotask(() => f.setResult(1));
    sum += yield f;
  }
  return sum;
});

async function awaitPending() {
  let sum = 0;
  for (let i = 0; i < P; i++) {
    sum += await new Promise((resolve) => queueMicrotask(() => resolve(1)));
  }
  return sum;
}

// Error path: an exception raised three coroutines deep, caught at the top, E times.
const failLeaf = coroutine(function* () {
  const f = new Future();
  queueMicrotask(() => f.setException(new Error('boom')));
  return yield* f;
});
const failMid = coroutine(function* () {
  return yield* failLeaf();
});
const failTop = coroutine(function* () {
  let caught = 0;
  for (let i = 0; i < E; i++) {
    try {
      yield* failMid();
    } catch {
      caught++;
    }
  }
  return caught;
});

async function nativeLeaf() {
  await new Promise((resolve) => queueMicrotask(resolve));
  throw new Error('boom');
}
async function nativeMid() {
  return await nativeLeaf();
}
async function nativeTop() {
  let caught = 0;
  for (let i = 0; i < E; i++) {
    try {
      await nativeMid();
    } catch {
      caught++;
    }
  }
  return caught;
}

/** Runs the coroutine benchmarks; returns rows for the report. */
export async function genBenchmarks() {
  const loop = new IOLoop({ makeCurrent: true });
  const rows = [
    {
      ...(await compare({
        name: 'coroutine yielding a done Future 1,000,000 times vs await resolved Promise',
        ours: () => yieldDone(),
        theirs: awaitResolved,
      })),
      target: '≥ 2x',
      check: (s) => s >= 2,
    },
    {
      ...(await compare({
        name: 'coroutine yielding 200,000 pending Futures vs await pending Promises',
        ours: () => yieldPending(),
        theirs: awaitPending,
      })),
      target: '≥ 0.67x (within 1.5x)',
      check: (s) => s >= 1 / 1.5,
    },
    {
      ...(await compare({
        name: 'error thrown 3 coroutines deep, 20,000 times (with yield* traces) vs async/await',
        ours: () => failTop(),
        theirs: nativeTop,
      })),
      target: 'cost of traces (informational)',
    },
  ];
  loop.close();
  return rows;
}
