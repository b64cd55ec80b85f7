// One round-trip variant of bench/streams.mjs on its own, long enough to profile:
//
//   VARIANT=async node --cpu-prof bench/roundtrip-profile.mjs
//   VARIANT=async perf record -e cpu-clock -g node --perf-basic-prof bench/roundtrip-profile.mjs
//
// VARIANT is raw (net.Socket 'data' handlers), floor (raw sockets awaiting a plain Promise per
// read), async (readBytes + write with async/await on the default transport, the default),
// coroutine (the same as generator coroutines) or sockets (async on the socket transport); BENCH_ROUNDTRIPS (default 200,000) 64-byte request/response exchanges
// over loopback TCP, both ends in this process. Prints the process CPU time per round trip,
// split into user and system.
import { roundTrip } from './round-trip-variants.mjs';

const COUNT = Number(process.env.BENCH_ROUNDTRIPS ?? 200_000);
const VARIANT = process.env.VARIANT ?? 'async';
const variants = {
  raw: 'raw net',
  floor: 'net + a Promise per read',
  async: 'IOStream',
  coroutine: 'IOStream, coroutines',
  sockets: 'IOStream, socket transport',
};
if (!(VARIANT in variants)) throw new Error(`VARIANT must be one of ${Object.keys(variants)}`);
const exchange = await roundTrip[variants[VARIANT]]();
const cpu0 = process.cpuUsage();
await exchange.run(COUNT);
const cpu = process.cpuUsage(cpu0);
exchange.close();
const per = (us) => (us / COUNT).toFixed(2);
console.log(
  `${VARIANT}: ${per(cpu.user + cpu.system)} µs CPU per round trip (user ${per(cpu.user)}, system ${per(cpu.system)}), ${COUNT} round trips`,
);
