/**
 * Tornado's websocket chat demo: the page at `/` shows the recent messages and opens a
 * websocket to `/chatsocket`; every message a page sends is rendered with the `message.html`
 * template, kept in the room's history and broadcast to every open page.
 *
 * The websocket is not covered by XSRF protection (a websocket handshake is a GET, and the
 * browser cannot be made to send one cross-site with our cookies undetected): the handshake's
 * `Origin` is checked instead, by `WebSocketHandler`'s default same-origin `checkOrigin`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { appLog } from '@tronada/ioloop';
import { Application, RequestHandler } from '@tronada/web';
import { type PerMessageDeflateOptions, WebSocketHandler } from '@tronada/websocket';
import { type ChatMessage, ChatRoom } from './chat-room.js';

/** The initialize arguments of both handlers: the room they share. */
export type ChatArgs = {
  readonly room: ChatRoom;
};

/** Renders the page with the room's history. */
export class MainHandler extends RequestHandler {
  room!: ChatRoom;

  override initialize(kwargs: ChatArgs): void {
    this.room = kwargs.room;
  }

  override get(): unknown {
    return this.render('index.html', { messages: this.room.cache });
  }
}

/**
 * One page's websocket: joins the room on open, leaves on close, and turns each incoming
 * `{"body": ...}` into a message for everyone.
 */
export class ChatSocketHandler extends WebSocketHandler {
  room!: ChatRoom;

  override initialize(kwargs: ChatArgs): void {
    this.room = kwargs.room;
  }

  override getCompressionOptions(): PerMessageDeflateOptions {
    // Non-null turns compression on, with zlib's defaults.
    return {};
  }

  override open(): void {
    this.room.join(this);
  }

  override onClose(): void {
    this.room.leave(this);
  }

  override onMessage(message: string | Buffer): void {
    appLog.info(`got message ${JSON.stringify(String(message))}`);
    const body = parseBody(message);
    if (body === undefined) {
      // Not what our page sends: tell the peer why rather than fail with 1011.
      this.close(1003, 'expected {"body": "<text>"}');
      return;
    }
    const id = randomUUID();
    const html = this.renderString('message.html', { message: { id, body } });
    const chat: ChatMessage = { id, body, html };
    this.room.updateCache(chat);
    this.room.sendUpdates(chat);
  }
}

function parseBody(message: string | Buffer): string | undefined {
  if (typeof message !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const body = (parsed as { body?: unknown }).body;
  return typeof body === 'string' ? body : undefined;
}

/** Options of {@link makeApp}. */
export interface ChatAppOptions {
  /** The room (a fresh one by default). */
  room?: ChatRoom;
  /** Signs the XSRF cookie's companions; random per process by default. */
  cookieSecret?: string;
}

/** The chat application: the page, the websocket, the templates and static files. */
export function makeApp(options: ChatAppOptions = {}): Application {
  const room = options.room ?? new ChatRoom();
  return new Application(
    [
      ['/', MainHandler, { room }],
      ['/chatsocket', ChatSocketHandler, { room }],
    ],
    {
      cookieSecret: options.cookieSecret ?? randomBytes(32).toString('hex'),
      templatePath: fileURLToPath(new URL('../templates', import.meta.url)),
      staticPath: fileURLToPath(new URL('../static', import.meta.url)),
      xsrfCookies: true,
    },
  );
}
