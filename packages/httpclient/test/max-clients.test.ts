// maxClients: at most that many requests in progress, the others wait their turn in order.
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, newClient, nodeServe, turns } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

describe('maxClients', () => {
  it('runs at most maxClients requests at once and answers all in order of arrival', async () => {
    const held: Array<{ url: string; res: import('node:http').ServerResponse }> = [];
    const order: string[] = [];
    const { url } = await nodeServe((req, res) => {
      order.push(req.url!);
      held.push({ url: req.url!, res });
    });
    const client = newClient({ maxClients: 2 });
    const paths = ['/1', '/2', '/3', '/4', '/5', '/6'];
    const fetching = Promise.all(paths.map((p) => client.fetch(`${url}${p}`)));
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 200 && held.length < 2; i++) await turns(1);
      // Two in progress, and nothing more arrives however long we wait.
      await turns(10);
      expect(held.length).toBe(2);
      for (const { url: path, res } of held.splice(0)) res.end(path);
    }
    const bodies = await fetching;
    expect(bodies.map((r) => r.text)).toEqual(paths);
    expect(order.slice(0, 2).sort()).toEqual(['/1', '/2']);
    expect(order.slice(2, 4).sort()).toEqual(['/3', '/4']);
  });

  it('gives the slot of a failed request to the next one', async () => {
    const { url } = await nodeServe((_req, res) => res.end('ok'));
    const client = newClient({ maxClients: 1 });
    const results = await Promise.allSettled([
      client.fetch('http://127.0.0.1:1/'),
      client.fetch(url),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
  });

  it('fails a queued fetch whose slot came free just before close()', async () => {
    const { url, connections } = await nodeServe((_req, res) => res.end('ok'));
    const client = newClient({ maxClients: 1 });
    // The legacy callback runs as the first fetch hands its slot on, before the queued fetch
    // starts: closing there must not let the queued one run on the closed client.
    const first = client.fetch(url, {}, () => client.close());
    const queued = client.fetch(url);
    expect((await first).code).toBe(200);
    await expect(queued).rejects.toThrow('The AsyncHTTPClient was closed');
    expect(connections()).toBe(1);
  });
});
