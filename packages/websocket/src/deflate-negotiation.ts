/**
 * permessage-deflate negotiation (RFC 7692 §5–7.1) for both sides of the handshake.
 *
 * The client offers `permessage-deflate` with parameters; the server accepts the first offer it
 * finds valid (declining, not failing, on invalid ones, §5.1) and answers with the parameters
 * both sides will use; the client checks that answer and fails the connection on anything the
 * RFC forbids (§7.1: unknown or repeated parameters, bad values, a window limit it did not
 * allow). Not using context takeover, or using a smaller window than allowed, is always
 * compatible, so our own `*NoContextTakeover` choices apply whatever the peer says.
 */
import { WebSocketHandshakeError, WebSocketUsageError } from './errors.js';
import { type ExtensionOffer, formatExtension } from './extension-header.js';

/** The extension token. */
export const PERMESSAGE_DEFLATE = 'permessage-deflate';

/**
 * What one side wants from permessage-deflate; `{}` enables it with zlib defaults (Tornado's
 * `get_compression_options()` returning `{}`).
 *
 * @see Tornado `WebSocketHandler.get_compression_options`
 */
export interface PerMessageDeflateOptions {
  /** zlib level for what we send, 0–9 (default 6, as Tornado). */
  compressionLevel?: number;
  /** zlib memLevel for what we send, 1–9 (default 8). */
  memLevel?: number;
  /** The server resets its compression context after each message (less memory, worse ratio). */
  serverNoContextTakeover?: boolean;
  /** The client resets its compression context after each message. */
  clientNoContextTakeover?: boolean;
  /** Upper bound, 8–15, on the server's LZ77 window (log2 of its size). */
  serverMaxWindowBits?: number;
  /** Upper bound, 8–15, on the client's LZ77 window. */
  clientMaxWindowBits?: number;
}

/** The parameters both sides use once negotiated (window sizes are log2 of bytes, 8–15). */
export interface DeflateParameters {
  readonly serverNoContextTakeover: boolean;
  readonly clientNoContextTakeover: boolean;
  readonly serverMaxWindowBits: number;
  readonly clientMaxWindowBits: number;
}

/** The server's decision: what it will use and the header value that says so. */
export interface DeflateAcceptance {
  readonly parameters: DeflateParameters;
  /** The `Sec-WebSocket-Extensions` value for the 101 response. */
  readonly header: string;
}

const WINDOW_BITS_RE = /^(?:[89]|1[0-5])$/;

function checkInteger(name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
    throw new WebSocketUsageError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

/** Throws {@link WebSocketUsageError} when an option is out of range. */
export function validateDeflateOptions(options: PerMessageDeflateOptions): void {
  checkInteger('compressionLevel', options.compressionLevel, -1, 9);
  checkInteger('memLevel', options.memLevel, 1, 9);
  checkInteger('serverMaxWindowBits', options.serverMaxWindowBits, 8, 15);
  checkInteger('clientMaxWindowBits', options.clientMaxWindowBits, 8, 15);
}

interface ParsedParams {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  serverMaxWindowBits: number | undefined;
  /** `null`: present without a value (only legal in an offer). */
  clientMaxWindowBits: number | null | undefined;
}

/** Reads permessage-deflate parameters; returns a reason string when they break RFC 7692 §7.1. */
function parseParams(offer: ExtensionOffer, side: 'offer' | 'response'): ParsedParams | string {
  const parsed: ParsedParams = {
    serverNoContextTakeover: false,
    clientNoContextTakeover: false,
    serverMaxWindowBits: undefined,
    clientMaxWindowBits: undefined,
  };
  const seen = new Set<string>();
  for (const [name, value] of offer.params) {
    if (seen.has(name)) return `parameter ${name} given twice`;
    seen.add(name);
    switch (name) {
      case 'server_no_context_takeover':
      case 'client_no_context_takeover':
        if (value !== undefined) return `${name} takes no value`;
        if (name === 'server_no_context_takeover') parsed.serverNoContextTakeover = true;
        else parsed.clientNoContextTakeover = true;
        break;
      case 'server_max_window_bits':
        if (value === undefined || !WINDOW_BITS_RE.test(value)) return `${name} must be 8 to 15`;
        parsed.serverMaxWindowBits = Number(value);
        break;
      case 'client_max_window_bits':
        if (value === undefined) {
          if (side === 'response') return `${name} needs a value in a response`;
          parsed.clientMaxWindowBits = null;
        } else if (!WINDOW_BITS_RE.test(value)) {
          return `${name} must be 8 to 15`;
        } else {
          parsed.clientMaxWindowBits = Number(value);
        }
        break;
      default:
        return `unknown parameter ${name}`;
    }
  }
  return parsed;
}

/**
 * The client's offer, for `Sec-WebSocket-Extensions`: `permessage-deflate` with
 * `client_max_window_bits` (announcing that the server may limit our window, as Tornado sends)
 * and the limits and context-takeover requests from `options`.
 *
 * @see Tornado `WebSocketClientConnection.__init__` (the extension offer)
 */
export function formatDeflateOffer(options: PerMessageDeflateOptions = {}): string {
  validateDeflateOptions(options);
  const params: Array<[string, string | undefined]> = [];
  if (options.serverNoContextTakeover === true)
    params.push(['server_no_context_takeover', undefined]);
  if (options.clientNoContextTakeover === true)
    params.push(['client_no_context_takeover', undefined]);
  if (options.serverMaxWindowBits !== undefined) {
    params.push(['server_max_window_bits', String(options.serverMaxWindowBits)]);
  }
  params.push(['client_max_window_bits', options.clientMaxWindowBits?.toString()]);
  return formatExtension({ name: PERMESSAGE_DEFLATE, params });
}

/**
 * Server side: picks the first valid `permessage-deflate` offer among `offers` and returns the
 * parameters to use and the response header, or undefined when there is no acceptable offer
 * (the connection then goes on uncompressed).
 *
 * The answer always honours the client's requests (`server_no_context_takeover`, a
 * `server_max_window_bits` limit) and adds the server's own (`options`); `client_max_window_bits`
 * is only sent when the client offered it.
 *
 * @see Tornado `WebSocketProtocol13._accept_connection` / `_create_compressors`
 */
export function acceptDeflateOffer(
  offers: readonly ExtensionOffer[],
  options: PerMessageDeflateOptions = {},
): DeflateAcceptance | undefined {
  validateDeflateOptions(options);
  for (const offer of offers) {
    if (offer.name !== PERMESSAGE_DEFLATE) continue;
    const parsed = parseParams(offer, 'offer');
    if (typeof parsed === 'string') continue;
    const serverNoContextTakeover =
      parsed.serverNoContextTakeover || options.serverNoContextTakeover === true;
    const clientNoContextTakeover =
      parsed.clientNoContextTakeover || options.clientNoContextTakeover === true;
    const serverMaxWindowBits = Math.min(
      parsed.serverMaxWindowBits ?? 15,
      options.serverMaxWindowBits ?? 15,
    );
    const offeredClientBits = parsed.clientMaxWindowBits;
    const limitClient =
      offeredClientBits !== undefined && options.clientMaxWindowBits !== undefined;
    const clientMaxWindowBits = limitClient
      ? Math.min(offeredClientBits ?? 15, options.clientMaxWindowBits ?? 15)
      : (offeredClientBits ?? 15);

    const params: Array<[string, string | undefined]> = [];
    if (serverNoContextTakeover) params.push(['server_no_context_takeover', undefined]);
    if (clientNoContextTakeover) params.push(['client_no_context_takeover', undefined]);
    if (parsed.serverMaxWindowBits !== undefined || options.serverMaxWindowBits !== undefined) {
      params.push(['server_max_window_bits', String(serverMaxWindowBits)]);
    }
    if (limitClient) params.push(['client_max_window_bits', String(clientMaxWindowBits)]);
    return {
      parameters: {
        serverNoContextTakeover,
        clientNoContextTakeover,
        serverMaxWindowBits,
        clientMaxWindowBits,
      },
      header: formatExtension({ name: PERMESSAGE_DEFLATE, params }),
    };
  }
  return undefined;
}

/**
 * Client side: checks the server's `Sec-WebSocket-Extensions` answer against what we offered
 * with `options` (undefined: we offered nothing). Returns the parameters to use, or undefined
 * when the server did not enable compression.
 *
 * Throws {@link WebSocketHandshakeError} (fail the connection) for an extension we did not
 * offer, permessage-deflate answered twice, an unknown or repeated parameter, a malformed value,
 * or a window limit larger than the one we asked for.
 *
 * @see Tornado `WebSocketProtocol13._process_server_headers`
 */
export function acceptDeflateResponse(
  extensions: readonly ExtensionOffer[],
  options: PerMessageDeflateOptions | undefined,
): DeflateParameters | undefined {
  if (extensions.length === 0) return undefined;
  const [answer, ...extra] = extensions;
  if (
    options === undefined ||
    answer === undefined ||
    answer.name !== PERMESSAGE_DEFLATE ||
    extra.length > 0
  ) {
    const names = extensions.map((e) => e.name).join(', ');
    throw new WebSocketHandshakeError(
      `the server answered with extensions we did not offer (${names}); only permessage-deflate is supported`,
    );
  }
  const parsed = parseParams(answer, 'response');
  if (typeof parsed === 'string') {
    throw new WebSocketHandshakeError(
      `invalid permessage-deflate answer from the server: ${parsed}`,
    );
  }
  const askedServerBits = options.serverMaxWindowBits ?? 15;
  if ((parsed.serverMaxWindowBits ?? 15) > askedServerBits) {
    throw new WebSocketHandshakeError(
      `the server chose server_max_window_bits=${parsed.serverMaxWindowBits} above the ${askedServerBits} we asked for`,
    );
  }
  const ownClientBits = options.clientMaxWindowBits ?? 15;
  const clientBits = parsed.clientMaxWindowBits ?? undefined;
  if (clientBits !== undefined && clientBits > ownClientBits) {
    throw new WebSocketHandshakeError(
      `the server chose client_max_window_bits=${clientBits} above the ${ownClientBits} we offered`,
    );
  }
  return {
    serverNoContextTakeover: parsed.serverNoContextTakeover,
    clientNoContextTakeover:
      parsed.clientNoContextTakeover || options.clientNoContextTakeover === true,
    serverMaxWindowBits: parsed.serverMaxWindowBits ?? 15,
    clientMaxWindowBits: Math.min(clientBits ?? 15, ownClientBits),
  };
}
