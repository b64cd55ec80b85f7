/**
 * IOLoop benchmarks against Node's own primitives, measured in the same run.
 */
import { IOLoop } from '@tronada/ioloop';
import { compare } from './harness.js';

const N = 1_000_000;
const T = 100_000;

function callbackChain(loop) {
  return new Promise((resolve) => {
    let n = 0;
    const step = () => {
      if (++n === N) resolve();
      else loop.addCallback(step);
    };
    loop.addCallback(step);
  });
}

function immediateChain() {
  return new Promise((resolve) => {
    let n = 0;
    const step = () => {
      if (++n === N) resolve();
      else setImmediate(step);
    };
    setImmediate(step);
  });
}

function callbackFanOut(loop) {
  return new Promise((resolve) => {
    let n = 0;
    const step = () => {
      if (++n === N) resolve();
    };
    for (let i = 0; i < N; i++) loop.addCallback(step);
  });
}

function immediateFanOut() {
  return new Promise((resolve) => {
    let n = 0;
    const step = () => {
      if (++n === N) resolve();
    };
    for (let i = 0; i < N; i++) setImmediate(step);
  });
}

function delays() {
  // The same pseudo-random delays (whole milliseconds, 0–49, the resolution of setTimeout) for both sides.
  let seed = 42;
  const out = new Float64Array(T);
  for (let i = 0; i < T; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out[i] = (seed % 50) / 1_000;
  }
  return out;
}
const delaySeconds = delays();

function loopTimers(loop) {
  return new Promise((resolve) => {
    let n = 0;
    const fire = () => {
      if (++n === T) resolve();
    };
    for (let i = 0; i < T; i++) loop.callLater(delaySeconds[i], fire);
  });
}

function nodeTimers() {
  return new Promise((resolve) => {
    let n = 0;
    const fire = () => {
      if (++n === T) resolve();
    };
    for (let i = 0; i < T; i++) setTimeout(fire, delaySeconds[i] * 1000);
  });
}

/** Runs the IOLoop benchmarks; returns rows for the report. */
export async function ioloopBenchmarks() {
  const loop = new IOLoop();
  const rows = [
    {
      ...(await compare({
        name: 'chain of 1,000,000 addCallback vs setImmediate',
        ours: () => callbackChain(loop),
        theirs: immediateChain,
        rounds: 5,
      })),
      target: '≥ 0.91x (within 10%)',
      check: (s) => s >= 1 / 1.1,
    },
    {
      ...(await compare({
        name: '1,000,000 addCallback at once vs setImmediate',
        ours: () => callbackFanOut(loop),
        theirs: immediateFanOut,
        rounds: 5,
      })),
      target: '≥ 3x',
      check: (s) => s >= 3,
    },
    {
      ...(await compare({
        name: '100,000 callLater (random 0–50 ms) vs setTimeout',
        ours: () => loopTimers(loop),
        theirs: nodeTimers,
        rounds: 5,
      })),
      target: '≥ 1x',
      check: (s) => s >= 1,
    },
  ];
  loop.close();
  return rows;
}
