import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../src/message-buffer.js';
import { MessageBuffer } from '../src/message-buffer.js';

useTestLoop({ beforeEach, afterEach });

function message(id: string): ChatMessage {
  return { id, body: `body ${id}`, html: `<div>${id}</div>` };
}

describe('MessageBuffer', () => {
  it('keeps only the last cacheSize messages, oldest first', () => {
    const buffer = new MessageBuffer({ cacheSize: 3 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) buffer.addMessage(message(id));
    expect(buffer.cache.map((m) => m.id)).toEqual(['c', 'd', 'e']);
  });

  it('keeps 200 messages by default, as Tornado does', () => {
    const buffer = new MessageBuffer();
    for (let i = 0; i < 250; i++) buffer.addMessage(message(String(i)));
    expect(buffer.cacheSize).toBe(200);
    expect(buffer.cache.length).toBe(200);
    expect(buffer.cache[0]!.id).toBe('50');
  });

  it('refuses a cache size that is not a whole number of at least 1', () => {
    expect(() => new MessageBuffer({ cacheSize: 0 })).toThrow(RangeError);
    expect(() => new MessageBuffer({ cacheSize: 1.5 })).toThrow(/whole number/);
  });

  it('gives the messages after the cursor; everything for null or a cursor it no longer has', () => {
    const buffer = new MessageBuffer({ cacheSize: 3 });
    for (const id of ['a', 'b', 'c', 'd']) buffer.addMessage(message(id));
    const ids = (cursor: string | null) => buffer.getMessagesSince(cursor).map((m) => m.id);
    expect(ids('b')).toEqual(['c', 'd']);
    expect(ids('d')).toEqual([]);
    expect(ids(null)).toEqual(['b', 'c', 'd']);
    expect(ids('a')).toEqual(['b', 'c', 'd']);
    expect(new MessageBuffer().getMessagesSince(null)).toEqual([]);
  });

  it('wakes every waiter when a message is added and counts them until then', async () => {
    const buffer = new MessageBuffer();
    const waits = [buffer.waitForMessages(), buffer.waitForMessages()];
    expect(buffer.waiterCount).toBe(2);
    buffer.addMessage(message('a'));
    expect(await Promise.all(waits)).toEqual([true, true]);
    expect(buffer.waiterCount).toBe(0);
  });

  it('forgets a cancelled waiter, which a later message does not wake', async () => {
    const buffer = new MessageBuffer();
    const cancelled = buffer.waitForMessages();
    const kept = buffer.waitForMessages();
    cancelled.cancel();
    await expect(cancelled).rejects.toThrow(/cancel/i);
    expect(buffer.waiterCount).toBe(1);
    buffer.addMessage(message('a'));
    expect(await kept).toBe(true);
    expect(buffer.waiterCount).toBe(0);
  });
});
