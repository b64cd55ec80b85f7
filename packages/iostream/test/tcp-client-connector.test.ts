/**
 * The Happy Eyeballs race (Tornado's ConnectorTest and TestConnectorSplit) on a virtual clock:
 * attempts are fake streams whose connect Futures the test settles by hand, and the 0.3 s
 * family timeout and the connect timeout fire by advancing the clock.
 */
import { Future, TimeoutError } from '@tronada/ioloop';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectResult } from '../src/connector.js';
import { Connector, INITIAL_CONNECT_TIMEOUT } from '../src/connector.js';

// Fake families, as in Tornado's test: the connector only compares them.
const AF1 = 1;
const AF2 = 2;

interface FakeAddress {
  readonly family: number;
  readonly name: string;
}

class FakeStream {
  closed = false;
  close(): void {
    this.closed = true;
  }
}

class ConnectFailed extends Error {}

const handle = useTestLoop({ beforeEach, afterEach });

let connectFutures: Map<string, Future<FakeStream>>;
let streams: Map<string, FakeStream>;

const a = { family: AF1, name: 'a' };
const b = { family: AF1, name: 'b' };
const c = { family: AF2, name: 'c' };
const d = { family: AF2, name: 'd' };
const addrinfo = [a, b, c, d];

beforeEach(() => {
  connectFutures = new Map();
  streams = new Map();
});

afterEach(() => {
  // Unless a test checked (and removed) a stream, the connector must not have closed it.
  for (const [name, stream] of streams) expect(stream.closed, `stream ${name}`).toBe(false);
});

const key = (address: FakeAddress): string => `${address.family}:${address.name}`;

function createStream(address: FakeAddress): readonly [FakeStream, Future<FakeStream>] {
  const stream = new FakeStream();
  streams.set(address.name, stream);
  const future = new Future<FakeStream>();
  connectFutures.set(key(address), future);
  return [stream, future];
}

function assertPending(...addresses: FakeAddress[]): void {
  expect([...connectFutures.keys()].sort()).toEqual(addresses.map(key).sort());
}

async function resolveConnect(address: FakeAddress, success: boolean): Promise<void> {
  const future = connectFutures.get(key(address));
  if (future === undefined) throw new Error(`no pending attempt for ${key(address)}`);
  connectFutures.delete(key(address));
  if (success) {
    future.setResult(streams.get(address.name)!);
  } else {
    streams.delete(address.name);
    future.setException(new ConnectFailed(`connect to ${address.name} failed`));
  }
  await handle.testLoop.clock!.settle();
}

/** Pops a stream the connector is expected to have closed. */
function expectClosedAndForget(address: FakeAddress): void {
  connectFutures.delete(key(address));
  expect(streams.get(address.name)?.closed).toBe(true);
  streams.delete(address.name);
}

function startConnect(
  addresses: FakeAddress[],
  connectTimeout = 1,
): {
  conn: Connector<FakeAddress, FakeStream>;
  future: Future<ConnectResult<FakeAddress, FakeStream>>;
} {
  const conn = new Connector(addresses, createStream);
  const loop = handle.testLoop.loop;
  const future = conn.start(INITIAL_CONNECT_TIMEOUT, loop.time() + connectTimeout);
  // The test reads the outcome later with result(); a done callback marks it observed now.
  future.addDoneCallback(() => {});
  return { conn, future };
}

function expectConnectorStreamsClosed(conn: Connector<FakeAddress, FakeStream>): void {
  for (const stream of conn.streams) expect(stream.closed).toBe(true);
}

function expectWinner(
  future: Future<ConnectResult<FakeAddress, FakeStream>>,
  address: FakeAddress,
): void {
  expect(future.result()).toEqual({ address, stream: streams.get(address.name) });
}

describe('Connector.split', () => {
  it('keeps a single family entirely in the primary list', () => {
    expect(Connector.split([a, b])).toEqual([[a, b], []]);
  });

  it('puts the first address family first and the other family second, each in order', () => {
    expect(Connector.split([a, c, b, d])).toEqual([
      [a, b],
      [c, d],
    ]);
  });
});

describe('Connector (Happy Eyeballs)', () => {
  it('succeeds with the first address when it connects at once', async () => {
    const { future } = startConnect(addrinfo);
    assertPending(a);
    await resolveConnect(a, true);
    expectWinner(future, a);
  });

  it('fails with the connect error when the only address fails', async () => {
    const { future } = startConnect([a]);
    assertPending(a);
    await resolveConnect(a, false);
    expect(() => future.result()).toThrow(ConnectFailed);
  });

  it('tries the next address of the same family after a failure', async () => {
    const { future } = startConnect([a, b]);
    assertPending(a);
    await resolveConnect(a, false);
    assertPending(b);
    await resolveConnect(b, true);
    expectWinner(future, b);
  });

  it('fails with the last error when every address of one family fails', async () => {
    const { future } = startConnect([a, b]);
    await resolveConnect(a, false);
    assertPending(b);
    await resolveConnect(b, false);
    expect(() => future.result()).toThrow('connect to b failed');
  });

  it('starts nothing new at the 0.3 s timeout when there is no second family', async () => {
    const { future } = startConnect([a, b]);
    assertPending(a);
    await handle.testLoop.advance(INITIAL_CONNECT_TIMEOUT);
    assertPending(a);
    await resolveConnect(a, false);
    assertPending(b);
    await resolveConnect(b, true);
    expectWinner(future, b);
  });

  it('starts the second family at once when the first attempt fails, before the timeout', async () => {
    const { future } = startConnect(addrinfo);
    assertPending(a);
    await resolveConnect(a, false);
    assertPending(b, c);
    await resolveConnect(b, false);
    await resolveConnect(c, true);
    expectWinner(future, c);
  });

  it('starts the second family after 0.3 s and not before', async () => {
    const { future } = startConnect(addrinfo);
    await handle.testLoop.advance(0.29);
    assertPending(a);
    await handle.testLoop.advance(0.01);
    assertPending(a, c);
    await resolveConnect(c, true);
    expectWinner(future, c);
    // A failure of the first family after the race is decided starts nothing more.
    await resolveConnect(a, false);
    assertPending();
  });

  it('closes a slower attempt that succeeds after the race was won', async () => {
    const { future } = startConnect(addrinfo);
    await handle.testLoop.advance(INITIAL_CONNECT_TIMEOUT);
    assertPending(a, c);
    await resolveConnect(a, true);
    expectWinner(future, a);
    await resolveConnect(c, true);
    expect(streams.get('c')?.closed).toBe(true);
    streams.delete('c');
  });

  it('fails only when both families have run out of addresses', async () => {
    const { future } = startConnect(addrinfo);
    await handle.testLoop.advance(INITIAL_CONNECT_TIMEOUT);
    assertPending(a, c);
    await resolveConnect(c, false);
    assertPending(a, d);
    await resolveConnect(d, false);
    assertPending(a);
    await resolveConnect(a, false);
    assertPending(b);
    expect(future.done()).toBe(false);
    await resolveConnect(b, false);
    expect(() => future.result()).toThrow('connect to b failed');
  });

  it('fails with TimeoutError at the connect timeout, closes the attempt, and tries no other', async () => {
    const { conn, future } = startConnect([a, b], 0.1);
    await handle.testLoop.advance(0.1);
    expectClosedAndForget(a);
    await handle.testLoop.advance(INITIAL_CONNECT_TIMEOUT);
    assertPending();
    expect(conn.streams.size).toBe(1);
    expectConnectorStreamsClosed(conn);
    expect(() => future.result()).toThrow(TimeoutError);
  });

  it('keeps the winner open when the connect timeout would have come after the success', async () => {
    const { conn, future } = startConnect([a, b]);
    await resolveConnect(a, true);
    await handle.testLoop.advance(1);
    assertPending();
    expect(streams.get('a')?.closed).toBe(false);
    expect(conn.streams.size).toBe(0);
    expectWinner(future, a);
  });

  it('closes the second attempt of one family at the connect timeout', async () => {
    const { conn, future } = startConnect([a, b]);
    await resolveConnect(a, false);
    assertPending(b);
    await handle.testLoop.advance(1);
    expectClosedAndForget(b);
    assertPending();
    expect(conn.streams.size).toBe(2);
    expectConnectorStreamsClosed(conn);
    expect(() => future.result()).toThrow(TimeoutError);
  });

  it('keeps the connect error when every attempt failed before the connect timeout', async () => {
    const { conn, future } = startConnect([a, b]);
    await resolveConnect(a, false);
    await resolveConnect(b, false);
    await handle.testLoop.advance(1);
    assertPending();
    expect(conn.streams.size).toBe(2);
    expectConnectorStreamsClosed(conn);
    expect(() => future.result()).toThrow(ConnectFailed);
  });

  it('closes the attempts of both families at the connect timeout', async () => {
    const { conn, future } = startConnect(addrinfo);
    await handle.testLoop.advance(INITIAL_CONNECT_TIMEOUT);
    assertPending(a, c);
    await handle.testLoop.advance(1 - INITIAL_CONNECT_TIMEOUT);
    expectClosedAndForget(a);
    expectClosedAndForget(c);
    assertPending();
    expect(conn.streams.size).toBe(2);
    expectConnectorStreamsClosed(conn);
    expect(() => future.result()).toThrow(TimeoutError);
  });

  it('closes the other family when the first one wins after the timeout', async () => {
    const { conn, future } = startConnect(addrinfo);
    await handle.testLoop.advance(INITIAL_CONNECT_TIMEOUT);
    assertPending(a, c);
    await resolveConnect(a, true);
    expectClosedAndForget(c);
    assertPending();
    expect(conn.streams.size).toBe(1);
    expectConnectorStreamsClosed(conn);
    expectWinner(future, a);
  });

  it('never starts the second family once the connect timeout ended the race', async () => {
    const { conn, future } = startConnect(addrinfo, 0.1);
    await handle.testLoop.advance(0.1);
    expectClosedAndForget(a);
    assertPending();
    await handle.testLoop.advance(INITIAL_CONNECT_TIMEOUT);
    assertPending();
    expect(conn.streams.size).toBe(1);
    expectConnectorStreamsClosed(conn);
    expect(() => future.result()).toThrow(TimeoutError);
  });

  it('starts the second family at once when the first attempt fails synchronously', async () => {
    const conn = new Connector([a, c], (address: FakeAddress) => {
      if (address === a) {
        return [new FakeStream(), Future.rejected<FakeStream>(new ConnectFailed('sync'))] as const;
      }
      return createStream(address);
    });
    const future = conn.start();
    assertPending(c);
    await resolveConnect(c, true);
    expectWinner(future, c);
  });

  it('refuses an empty address list', () => {
    expect(() => new Connector([], createStream)).toThrow(RangeError);
  });
});
