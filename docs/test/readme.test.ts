import { useTestLoop } from '@tronada/testing';
import { Application, RequestHandler } from '@tronada/web';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp } from '../guide/examples/readme/generator-handler.js';
import { closeHttpClient } from './http-client.js';

// readme/hello.ts and readme/websocket.ts are run by readme/hello.test.ts, the tour's test.

class Page extends RequestHandler {
  override get() {
    this.write('twelve bytes');
  }
}

const hooks = { beforeEach, afterEach };
useTestLoop(hooks, { clock: false });
closeHttpClient({ afterEach });

describe('readme/generator-handler.ts', () => {
  const target = useAsyncHTTPTestCase(hooks, () => new Application([['/page', Page]]));
  const proxy = useAsyncHTTPTestCase(hooks, makeApp);

  it('fetches the URL in a generator method and answers with JSON', async () => {
    const url = encodeURIComponent(target.current.getUrl('/page'));
    const response = await proxy.current.fetch(`/proxy?url=${url}`);
    expect(response.json()).toEqual({ status: 200, bytes: 12 });
  });
});
