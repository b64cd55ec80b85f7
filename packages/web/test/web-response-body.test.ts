/**
 * The response body as `write` builds it: texts and JSON reuse a shared encoding and ETag, which
 * must give the same bytes and tags as encoding and hashing each response; each response starts
 * from the default headers; templates get the handler's namespace merged by descriptor.
 */
import { createHash } from 'node:crypto';
import { DictLoader } from '@tronada/template';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, RequestHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
const hooks = { beforeEach, afterEach };

function sha1Etag(body: string | Uint8Array): string {
  return `"${createHash('sha1').update(body).digest('hex')}"`;
}

describe('write: shared encodings and ETags', () => {
  class Parts extends RequestHandler {
    override get(kind?: string): void {
      if (kind === 'text') this.write('Hello, world');
      else if (kind === 'json') this.write({ message: 'Hello, world' });
      else if (kind === 'text-bytes') {
        this.write('Hello, ');
        this.write(Buffer.from('world'));
      } else if (kind === 'two-texts') {
        this.write('Hello, ');
        this.write('world');
      } else if (kind === 'bytes-text') {
        this.write(new Uint8Array([0x48, 0x69, 0x20]));
        this.write('there');
      } else if (kind === 'unicode') this.write('café ☕');
      else if (kind === 'flushed') {
        this.write('Hello, world');
        void this.flush();
        this.write('Hello, world');
      }
    }
  }
  const server = useAsyncHTTPTestCase(hooks, () => new Application([['/(.*)', Parts]]));

  const cases = [
    ['text', 'Hello, world'],
    ['json', '{"message":"Hello, world"}'],
    ['text-bytes', 'Hello, world'],
    ['two-texts', 'Hello, world'],
    ['bytes-text', 'Hi there'],
    ['unicode', 'café ☕'],
  ] as const;
  for (const [kind, body] of cases) {
    it(`sends the body and the SHA-1 ETag of ${kind}, the same on every request`, async () => {
      for (let i = 0; i < 3; i++) {
        const response = await server.current.fetch(`/${kind}`);
        expect(response.code).toBe(200);
        expect(response.text).toBe(body);
        expect(response.headers.get('Etag')).toBe(sha1Etag(body));
        expect(response.headers.get('Content-Length')).toBe(String(Buffer.byteLength(body)));
      }
    });
  }

  it('answers 304 to an If-None-Match with the shared ETag', async () => {
    const first = await server.current.fetch('/text');
    const etag = first.headers.get('Etag')!;
    const second = await server.current.fetch('/text', { headers: { 'If-None-Match': etag } });
    expect(second.code).toBe(304);
    expect(second.text).toBe('');
  });

  it('sends JSON as application/json', async () => {
    const response = await server.current.fetch('/json');
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=UTF-8');
  });

  it('sends a text written after a flush as a later chunk, without an ETag', async () => {
    const response = await server.current.fetch('/flushed');
    expect(response.text).toBe('Hello, worldHello, world');
    expect(response.headers.has('Etag')).toBe(false);
  });
});

describe('default headers', () => {
  class Headers extends RequestHandler {
    override get(): void {
      // As in Tornado, clear() sets the defaults (no header line for a continuation to extend).
      let continued = true;
      try {
        this.responseHeaders.parseLine(' continued');
      } catch {
        continued = false;
      }
      this.setHeader('Server', 'Custom');
      this.write(`${[...this.responseHeaders.names()].join(',')} ${continued}`);
    }
  }
  const server = useAsyncHTTPTestCase(hooks, () => new Application([['/', Headers]]));

  it('starts each response with Server, Content-Type and Date, unaffected by earlier changes', async () => {
    for (let i = 0; i < 2; i++) {
      const response = await server.current.fetch('/');
      expect(response.text).toBe('Server,Content-Type,Date false');
      expect(response.headers.get('Server')).toBe('Custom');
      expect(response.headers.get('Date')).toMatch(/ GMT$/);
    }
  });
});

describe('renderString namespace', () => {
  const shared: Record<string, unknown> = { greeting: 'hi' };
  let userReads = 0;
  class SharedNamespace extends RequestHandler {
    override getTemplateNamespace(): Record<string, unknown> {
      return shared;
    }
    override get(): void {
      this.write(this.renderString('t.html', { name: this.getArgument('name') }));
    }
  }
  class Lazy extends RequestHandler {
    override getCurrentUser(): unknown {
      userReads++;
      return 'user';
    }
    override get(): void {
      const namespace: Record<string, unknown> = { name: 'n' };
      Object.defineProperty(namespace, 'computed', {
        get: () => 'late',
        enumerable: true,
        configurable: true,
      });
      const html = this.renderString(this.getArgument('t'), namespace);
      this.write(html);
    }
  }
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application(
        [
          ['/shared', SharedNamespace],
          ['/lazy', Lazy],
        ],
        {
          templateLoader: new DictLoader({
            't.html': '{{ greeting }} {{ name }}',
            'plain.html': '{{ name }} {{ computed }}',
            'user.html': '{{ currentUser }} {{ computed }}',
          }),
        },
      ),
  );

  it('leaves an overridden getTemplateNamespace’s object unchanged', async () => {
    expect((await server.current.fetch('/shared?name=a')).text).toBe('hi a');
    expect((await server.current.fetch('/shared?name=b')).text).toBe('hi b');
    expect(shared).toEqual({ greeting: 'hi' });
  });

  it('keeps getters lazy and copies every own property of the given namespace', async () => {
    userReads = 0;
    expect((await server.current.fetch('/lazy?t=plain.html')).text).toBe('n late');
    expect(userReads).toBe(0);
    expect((await server.current.fetch('/lazy?t=user.html')).text).toBe('user late');
    expect(userReads).toBe(1);
  });
});
