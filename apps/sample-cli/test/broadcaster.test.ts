import {
  hasRedisServer,
  type RedisServer,
  startRedisServer,
} from '@tronada-apps/sample-cli/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type Broadcaster,
  LocalBroadcaster,
  openBroadcaster,
  parseBroadcastServerOptions,
  RedisBroadcaster,
} from '../src/index.js';

const inCI = process.env.TRONADA_CI !== undefined && process.env.TRONADA_CI !== '';
const hasRedis = hasRedisServer();

type Note = { readonly text: string };
const isNote = (value: unknown): value is Note =>
  typeof value === 'object' && value !== null && typeof (value as Note).text === 'string';

describe('parseBroadcastServerOptions', () => {
  it('reads --redis as a redis: or rediss: URL, null without it', () => {
    expect(parseBroadcastServerOptions([], {}, 8890)).toEqual({
      port: 8890,
      host: '127.0.0.1',
      redis: null,
    });
    const url = 'redis://127.0.0.1:6379';
    expect(parseBroadcastServerOptions(['--redis', url, '--port', '0'], {}, 1)).toEqual({
      port: 0,
      host: '127.0.0.1',
      redis: url,
    });
    expect(parseBroadcastServerOptions(['--redis', 'rediss://h:1'], {}, 1).redis).toBe(
      'rediss://h:1',
    );
    expect(() => parseBroadcastServerOptions(['--redis', 'localhost'], {}, 1)).toThrow(
      /--redis takes a URL/,
    );
  });
});

describe('LocalBroadcaster', () => {
  it('calls every subscriber, in order, before publish returns', async () => {
    const broadcaster: Broadcaster<Note> = new LocalBroadcaster<Note>();
    const seen: string[] = [];
    broadcaster.subscribe((note) => seen.push(`a:${note.text}`));
    broadcaster.subscribe((note) => seen.push(`b:${note.text}`));
    const published = broadcaster.publish({ text: '1' });
    expect(seen).toEqual(['a:1', 'b:1']);
    await published;
    await broadcaster.close();
    await broadcaster.publish({ text: '2' });
    expect(seen).toEqual(['a:1', 'b:1']);
  });

  it('is what openBroadcaster gives without a Redis URL', async () => {
    const broadcaster = await openBroadcaster(null, { channel: 'c', accept: isNote });
    expect(broadcaster).toBeInstanceOf(LocalBroadcaster);
  });
});

describe.skipIf(!hasRedis && !inCI)(
  hasRedis ? 'RedisBroadcaster' : 'RedisBroadcaster (skipped: redis-server not installed)',
  () => {
    let redis: RedisServer | null = null;

    beforeAll(async () => {
      redis = await startRedisServer();
    }, 20_000);

    afterAll(async () => {
      await redis?.process.stop();
    }, 10_000);

    it('delivers what one broadcaster publishes to every broadcaster on the channel, in order', async () => {
      const options = { url: redis!.url, channel: 'notes', accept: isNote };
      const one = await RedisBroadcaster.connect(options);
      const two = await openBroadcaster(redis!.url, options);
      const elsewhere = await RedisBroadcaster.connect({ ...options, channel: 'other' });
      try {
        expect(two).toBeInstanceOf(RedisBroadcaster);
        const toOne: string[] = [];
        const toTwo: string[] = [];
        const toElsewhere: string[] = [];
        one.subscribe((note) => toOne.push(note.text));
        two.subscribe((note) => toTwo.push(note.text));
        elsewhere.subscribe((note) => toElsewhere.push(note.text));
        await one.publish({ text: 'first' });
        await two.publish({ text: 'second' });
        await one.publish({ text: 'third' });
        await vi.waitFor(() => expect(toTwo).toHaveLength(3), { timeout: 5_000 });
        await vi.waitFor(() => expect(toOne).toHaveLength(3), { timeout: 5_000 });
        expect(toOne).toEqual(['first', 'second', 'third']);
        expect(toTwo).toEqual(toOne);
        expect(toElsewhere).toEqual([]);
      } finally {
        await Promise.all([one.close(), two.close(), elsewhere.close()]);
      }
    }, 20_000);

    it('hands values that are not messages to onError instead of the subscribers', async () => {
      const errors: unknown[] = [];
      const base = { url: redis!.url, channel: 'checked' };
      const strict = await RedisBroadcaster.connect({
        ...base,
        accept: isNote,
        onError: (error) => errors.push(error),
      });
      // Anything goes on this one, as for anyone else who can reach Redis.
      const loose = await RedisBroadcaster.connect({
        ...base,
        accept: (_value: unknown): _value is unknown => true,
      });
      try {
        const seen: Note[] = [];
        strict.subscribe((note) => seen.push(note));
        await loose.publish({ nope: 1 });
        await loose.publish({ text: 'ok' });
        await vi.waitFor(() => expect(seen).toEqual([{ text: 'ok' }]), { timeout: 5_000 });
        expect(errors).toHaveLength(1);
        expect(String(errors[0])).toMatch(/not a message/);
      } finally {
        await Promise.all([strict.close(), loose.close()]);
      }
    }, 20_000);

    it('rejects at once when no Redis listens at the URL, instead of retrying', async () => {
      const closed = redis!.url.replace(/:\d+$/, ':1');
      await expect(
        RedisBroadcaster.connect({
          url: closed,
          channel: 'x',
          accept: isNote,
          onError: () => {},
        }),
      ).rejects.toThrow(/ECONNREFUSED/);
    }, 20_000);
  },
);
