import { describe, expect, it } from 'vitest';
import {
  acceptDeflateOffer,
  acceptDeflateResponse,
  type DeflateParameters,
  formatDeflateOffer,
  frame,
  Opcode,
  PerMessageDeflate,
  parseExtensionHeader,
  WebSocketHandshakeError,
  WebSocketProtocolError,
  WebSocketUsageError,
} from '../src/index.js';
import { parseAll } from './helpers.js';

const DEFAULTS: DeflateParameters = {
  serverNoContextTakeover: false,
  clientNoContextTakeover: false,
  serverMaxWindowBits: 15,
  clientMaxWindowBits: 15,
};
const offer = (header: string, options = {}) =>
  acceptDeflateOffer(parseExtensionHeader(header), options);
const answer = (header: string, options: object | undefined) =>
  acceptDeflateResponse(parseExtensionHeader(header), options);

describe('permessage-deflate negotiation: the client offer', () => {
  it("offers client_max_window_bits by default, as Tornado's client does", () => {
    expect(formatDeflateOffer()).toBe('permessage-deflate; client_max_window_bits');
  });

  it('offers the requested limits and context-takeover settings', () => {
    expect(
      formatDeflateOffer({
        serverNoContextTakeover: true,
        clientNoContextTakeover: true,
        serverMaxWindowBits: 10,
        clientMaxWindowBits: 9,
      }),
    ).toBe(
      'permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=9',
    );
  });

  it.each([
    { serverMaxWindowBits: 7 },
    { clientMaxWindowBits: 16 },
    { compressionLevel: 10 },
    { memLevel: 0 },
    { memLevel: 1.5 },
  ])('rejects out-of-range options %o', (options) => {
    expect(() => formatDeflateOffer(options)).toThrow(WebSocketUsageError);
  });
});

describe('permessage-deflate negotiation: the server', () => {
  it('accepts a bare offer with the defaults', () => {
    expect(offer('permessage-deflate')).toEqual({
      parameters: DEFAULTS,
      header: 'permessage-deflate',
    });
  });

  it("does not echo an offered client_max_window_bits without a value (Tornado's rule)", () => {
    expect(offer('permessage-deflate; client_max_window_bits')).toEqual({
      parameters: DEFAULTS,
      header: 'permessage-deflate',
    });
  });

  it('honours server_no_context_takeover and a server_max_window_bits limit from the client', () => {
    expect(
      offer('permessage-deflate; server_no_context_takeover; server_max_window_bits=10'),
    ).toEqual({
      parameters: { ...DEFAULTS, serverNoContextTakeover: true, serverMaxWindowBits: 10 },
      header: 'permessage-deflate; server_no_context_takeover; server_max_window_bits=10',
    });
  });

  it('adds its own settings, taking the smaller window', () => {
    const result = offer(
      'permessage-deflate; client_max_window_bits=12; server_max_window_bits=12',
      {
        serverNoContextTakeover: true,
        clientNoContextTakeover: true,
        serverMaxWindowBits: 14,
        clientMaxWindowBits: 10,
      },
    );
    expect(result).toEqual({
      parameters: {
        serverNoContextTakeover: true,
        clientNoContextTakeover: true,
        serverMaxWindowBits: 12,
        clientMaxWindowBits: 10,
      },
      header:
        'permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=12; client_max_window_bits=10',
    });
  });

  it('cannot limit the client window when the client did not offer client_max_window_bits', () => {
    expect(offer('permessage-deflate', { clientMaxWindowBits: 9 })).toEqual({
      parameters: DEFAULTS,
      header: 'permessage-deflate',
    });
  });

  it.each([
    ['an unknown parameter', 'permessage-deflate; foo'],
    [
      'a repeated parameter',
      'permessage-deflate; server_no_context_takeover; server_no_context_takeover',
    ],
    ['a value on server_no_context_takeover', 'permessage-deflate; server_no_context_takeover=1'],
    ['a value on client_no_context_takeover', 'permessage-deflate; client_no_context_takeover=1'],
    ['server_max_window_bits without a value', 'permessage-deflate; server_max_window_bits'],
    ['server_max_window_bits of 7', 'permessage-deflate; server_max_window_bits=7'],
    ['server_max_window_bits of 16', 'permessage-deflate; server_max_window_bits=16'],
    ['a leading zero', 'permessage-deflate; server_max_window_bits=09'],
    ['client_max_window_bits of 20', 'permessage-deflate; client_max_window_bits=20'],
  ])('declines an offer with %s and takes the next valid one', (_name, bad) => {
    expect(offer(bad)).toBeUndefined();
    expect(
      offer(`${bad}, permessage-deflate; server_no_context_takeover`)?.parameters
        .serverNoContextTakeover,
    ).toBe(true);
  });

  // Tornado's ServerOnlyCompressionTest: only one side wants compression, so none is negotiated.
  it('leaves compression off when the client offers none', () => {
    expect(acceptDeflateOffer([], { compressionLevel: 9 })).toBeUndefined();
  });

  it('accepts a quoted value and ignores other extensions', () => {
    expect(
      offer('x-webkit-deflate-frame, permessage-deflate; server_max_window_bits="9"')?.parameters
        .serverMaxWindowBits,
    ).toBe(9);
    expect(offer('x-webkit-deflate-frame')).toBeUndefined();
  });
});

describe('permessage-deflate negotiation: the client reading the answer', () => {
  // Tornado's ClientOnlyCompressionTest: a server without compression answers no extension.
  it('returns undefined when the server did not enable compression', () => {
    expect(answer('', {})).toBeUndefined();
    expect(answer('', undefined)).toBeUndefined();
  });

  it('returns the answered parameters', () => {
    expect(
      answer('permessage-deflate; server_no_context_takeover; client_max_window_bits=10', {}),
    ).toEqual({
      ...DEFAULTS,
      serverNoContextTakeover: true,
      clientMaxWindowBits: 10,
    });
  });

  it('applies our own client_no_context_takeover whatever the server says', () => {
    expect(
      answer('permessage-deflate', { clientNoContextTakeover: true })?.clientNoContextTakeover,
    ).toBe(true);
  });

  it.each([
    ['an extension we did not offer', 'x-other', {}],
    ['permessage-deflate when we offered nothing', 'permessage-deflate', undefined],
    ['permessage-deflate twice', 'permessage-deflate, permessage-deflate', {}],
    ['an unknown parameter', 'permessage-deflate; foo=1', {}],
    [
      'a repeated parameter',
      'permessage-deflate; client_max_window_bits=9; client_max_window_bits=9',
      {},
    ],
    ['client_max_window_bits without a value', 'permessage-deflate; client_max_window_bits', {}],
    [
      'a server window above our limit',
      'permessage-deflate; server_max_window_bits=12',
      { serverMaxWindowBits: 10 },
    ],
    [
      'a client window above what we offered',
      'permessage-deflate; client_max_window_bits=12',
      { clientMaxWindowBits: 10 },
    ],
  ])('fails the connection on %s', (_name, header, options) => {
    expect(() => answer(header, options)).toThrow(WebSocketHandshakeError);
  });

  it('agrees with the server on every combination of options', () => {
    const choices = [undefined, true] as const;
    for (const serverNoContextTakeover of choices) {
      for (const clientNoContextTakeover of choices) {
        for (const bits of [undefined, 9, 15]) {
          const clientOptions = {
            ...(bits === undefined ? {} : { clientMaxWindowBits: bits, serverMaxWindowBits: bits }),
          };
          const serverOptions = {
            ...(serverNoContextTakeover ? { serverNoContextTakeover } : {}),
            ...(clientNoContextTakeover ? { clientNoContextTakeover } : {}),
          };
          const accepted = offer(formatDeflateOffer(clientOptions), serverOptions)!;
          expect(answer(accepted.header, clientOptions)).toEqual(accepted.parameters);
        }
      }
    }
  });
});

describe('PerMessageDeflate', () => {
  const pair = (parameters: DeflateParameters = DEFAULTS) => ({
    server: new PerMessageDeflate({ isServer: true, parameters }),
    client: new PerMessageDeflate({ isServer: false, parameters }),
  });
  const MESSAGE = Buffer.from('Hello world. Testing 123 123');

  it('round-trips messages in both directions', () => {
    const { server, client } = pair();
    for (const text of ['', 'a', 'Hello', 'x'.repeat(100000)]) {
      const data = Buffer.from(text);
      expect(server.decompress(client.compress(data), 1 << 20).equals(data)).toBe(true);
      expect(client.decompress(server.compress(data), 1 << 20).equals(data)).toBe(true);
    }
  });

  it('strips the 00 00 ff ff tail and sends an empty message as one byte', () => {
    const { client } = pair();
    const z = client.compress(MESSAGE);
    expect(z.subarray(-4).equals(Buffer.from([0, 0, 0xff, 0xff]))).toBe(false);
    expect(pair().client.compress(Buffer.alloc(0))).toEqual(Buffer.from([0x00]));
  });

  // Tornado's DefaultCompressionTest.test_message_sizes: with context takeover, repeats get smaller.
  it('compresses a repeated message smaller with context takeover, not without', () => {
    const { server, client } = pair();
    const sizes = [0, 1, 2].map(() => {
      const z = client.compress(MESSAGE);
      expect(server.decompress(z, 1024)).toEqual(MESSAGE);
      return z.length;
    });
    // Tornado checks the sum: three messages take fewer bytes than three uncompressed ones.
    expect(sizes.reduce((a, b) => a + b)).toBeLessThan(3 * MESSAGE.length);
    expect(sizes[1]).toBeLessThan(sizes[0]!);
    expect(sizes[2]).toBeLessThan(sizes[0]!);
    const fresh = pair({ ...DEFAULTS, clientNoContextTakeover: true });
    const again = [0, 1, 2].map(() => {
      const z = fresh.client.compress(MESSAGE);
      expect(fresh.server.decompress(z, 1024)).toEqual(MESSAGE);
      return z.length;
    });
    expect(new Set(again).size).toBe(1);
  });

  // Tornado's UncompressedTestMixin.verify_wire_bytes: 2 header bytes, plus 4 mask bytes from a client.
  it('frames uncompressed messages with 2 header bytes, plus the 4-byte key when masked', () => {
    expect(frame(MESSAGE, { opcode: Opcode.TEXT }).length).toBe(MESSAGE.length + 2);
    expect(frame(MESSAGE, { opcode: Opcode.TEXT, mask: true }).length).toBe(MESSAGE.length + 6);
  });

  it('works with every window size, with and without context takeover', () => {
    const text = Buffer.from(Array.from({ length: 4000 }, (_, i) => `w${i % 97} `).join(''));
    for (let bits = 8; bits <= 15; bits++) {
      for (const noTakeover of [false, true]) {
        const parameters = {
          serverNoContextTakeover: noTakeover,
          clientNoContextTakeover: noTakeover,
          serverMaxWindowBits: bits,
          clientMaxWindowBits: bits,
        };
        const { server, client } = pair(parameters);
        for (let i = 0; i < 3; i++) {
          expect(server.decompress(client.compress(text), 1 << 20).equals(text)).toBe(true);
          expect(client.decompress(server.compress(text), 1 << 20).equals(text)).toBe(true);
        }
      }
    }
  });

  it('refuses window sizes and zlib settings out of range', () => {
    expect(
      () =>
        new PerMessageDeflate({
          isServer: true,
          parameters: { ...DEFAULTS, clientMaxWindowBits: 16 },
        }),
    ).toThrow(WebSocketUsageError);
    expect(
      () => new PerMessageDeflate({ isServer: true, parameters: DEFAULTS, compressionLevel: 11 }),
    ).toThrow(WebSocketUsageError);
  });

  it('fails with 1009 past maxLength and 1007 for data that is not DEFLATE', () => {
    const { server, client } = pair();
    const z = client.compress(Buffer.alloc(2048, 97));
    expect(() => server.decompress(z, 2047)).toThrow(expect.objectContaining({ closeCode: 1009 }));
    expect(() => pair().server.decompress(Buffer.from([0xff, 0xfe]), 10)).toThrow(
      WebSocketProtocolError,
    );
    expect(() => pair().server.decompress(Buffer.from([0xff, 0xfe]), 10)).toThrow(
      expect.objectContaining({ closeCode: 1007 }),
    );
  });

  it('delivers what the parser decompresses with the compressor of the other side', () => {
    const { server, client } = pair();
    const frames = ['one', 'two', 'one two'].map((t) =>
      frame(client.compress(Buffer.from(t)), { opcode: Opcode.TEXT, rsv1: true, mask: true }),
    );
    const sink = parseAll(frames, { isServer: true, permessageDeflate: server });
    expect(sink.messages.map((m) => m.data.toString())).toEqual(['one', 'two', 'one two']);
  });
});
