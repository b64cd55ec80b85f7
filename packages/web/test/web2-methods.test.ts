import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, RequestHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
const hooks = { beforeEach, afterEach };

function serve(handler: typeof RequestHandler) {
  return useAsyncHTTPTestCase(hooks, () => new Application([['/', handler]]));
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
function send(server: ReturnType<typeof serve>, method: string) {
  return server.current.fetch('/', BODY_METHODS.has(method) ? { method, body: '' } : { method });
}

describe('UnimplementedHTTPMethodsTest', () => {
  class Handler extends RequestHandler {}
  const server = serve(Handler);

  it('answers 405 to every standard method a handler does not define (UnimplementedHTTPMethodsTest.test_unimplemented_standard_methods)', async () => {
    for (const method of ['HEAD', 'GET', 'DELETE', 'OPTIONS', 'POST', 'PUT']) {
      expect((await send(server, method)).code).toBe(405);
    }
  });
});

describe('UnimplementedNonStandardMethodsTest', () => {
  class Handler extends RequestHandler {
    // Never called: OTHER is not in SUPPORTED_METHODS.
    other(): void {
      this.write('other');
    }
  }
  const server = serve(Handler);

  it('answers 405 to PATCH when the handler does not define it (UnimplementedNonStandardMethodsTest.test_unimplemented_patch)', async () => {
    expect((await send(server, 'PATCH')).code).toBe(405);
  });

  it('answers 405 to a method outside SUPPORTED_METHODS even with a method of that name (UnimplementedNonStandardMethodsTest.test_unimplemented_other)', async () => {
    const response = await send(server, 'OTHER');
    expect(response.code).toBe(405);
    expect(response.text).not.toContain('other');
  });
});

describe('AllHTTPMethodsTest', () => {
  class Handler extends RequestHandler {
    #method(): void {
      this.write(this.request.method);
    }
    override get(): void {
      this.#method();
    }
    override delete(): void {
      this.#method();
    }
    override options(): void {
      this.#method();
    }
    override post(): void {
      this.#method();
    }
    override put(): void {
      this.#method();
    }
  }
  const server = serve(Handler);

  it('calls the verb method of each standard method; HEAD has no body (AllHTTPMethodsTest.test_standard_methods)', async () => {
    // Tornado's HEAD falls back to nothing: HEAD is only answered when `head` is defined.
    expect((await send(server, 'HEAD')).body.length).toBe(0);
    for (const method of ['GET', 'DELETE', 'OPTIONS', 'POST', 'PUT']) {
      const response = await send(server, method);
      expect(response.code).toBe(200);
      expect(response.text).toBe(method);
    }
  });
});

describe('PatchMethodTest', () => {
  class Handler extends RequestHandler {
    static override SUPPORTED_METHODS = [...RequestHandler.SUPPORTED_METHODS, 'OTHER'];
    override patch(): void {
      this.write('patch');
    }
    other(): void {
      this.write('other');
    }
  }
  const server = serve(Handler);

  it('calls patch for PATCH (PatchMethodTest.test_patch)', async () => {
    expect((await send(server, 'PATCH')).text).toBe('patch');
  });

  it('calls the lower-cased method for a non-standard method in SUPPORTED_METHODS (PatchMethodTest.test_other)', async () => {
    expect((await send(server, 'OTHER')).text).toBe('other');
  });

  it('lists non-standard supported methods in the Allow header of a 405 (beyond Tornado)', async () => {
    const response = await send(server, 'PUT');
    expect(response.code).toBe(405);
    expect(response.headers.get('Allow')).toBe('PATCH, OTHER');
  });
});

describe('405 Allow header (beyond Tornado)', () => {
  class Handler extends RequestHandler {
    override get(): void {
      this.write('get');
    }
    override async post(): Promise<void> {
      this.write('post');
    }
  }
  class Inherited extends Handler {
    override delete(): void {
      this.write('delete');
    }
  }
  class NarrowHandler extends Inherited {
    static override SUPPORTED_METHODS = ['GET', 'DELETE'];
  }
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application([
        ['/', Handler],
        ['/inherited', Inherited],
        ['/narrow', NarrowHandler],
      ]),
  );

  it('lists the methods the handler implements on a 405', async () => {
    const response = await server.current.fetch('/', { method: 'PUT', body: '' });
    expect(response.code).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, POST');
  });

  it('includes inherited implementations and honours SUPPORTED_METHODS', async () => {
    let response = await server.current.fetch('/inherited', { method: 'PATCH', body: '' });
    expect(response.code).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, POST, DELETE');
    response = await server.current.fetch('/narrow', { method: 'POST', body: '' });
    expect(response.code).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, DELETE');
  });

  it('sends no Allow header with other errors', async () => {
    const response = await server.current.fetch('/nowhere', { method: 'PUT', body: '' });
    expect(response.code).toBe(404);
    expect(response.headers.has('Allow')).toBe(false);
  });
});

describe('FinishInPrepareTest', () => {
  class Handler extends RequestHandler {
    override prepare(): void {
      void this.finish('done');
    }
    override get(): void {
      throw new Error('should not reach this method');
    }
  }
  const server = serve(Handler);

  it('skips the verb method when prepare finished the request (FinishInPrepareTest.test_finish_in_prepare)', async () => {
    const response = await server.current.fetch('/');
    expect(response.code).toBe(200);
    expect(response.text).toBe('done');
  });
});
