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
import { type Broadcaster, LocalBroadcaster } from '@tronada-apps/sample-cli';
import { type ChatMessage, ChatRoom } from './chat-room.js';

/** The initialize arguments of both handlers: the room they share and where messages go. */
export type ChatArgs = {
  readonly room: ChatRoom;
  readonly broadcaster: Broadcaster<ChatMessage>;
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
  broadcaster!: Broadcaster<ChatMessage>;

  override initialize(kwargs: ChatArgs): void {
    this.room = kwargs.room;
    this.broadcaster = kwargs.broadcaster;
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
    // The room takes it from the broadcaster, as every other process's room does.
    this.broadcaster.publish(chat).then(undefined, (error: unknown) => {
      appLog.error('Error publishing message', error);
      // Say so instead of letting the sender believe the message went out.
      this.close(1011, 'the message could not be sent');
    });
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
  /**
   * Where messages go (in-process by default). The room is filled only from what it delivers,
   * so with a Redis broadcaster every process's room gets the messages sent on any of them.
   */
  broadcaster?: Broadcaster<ChatMessage>;
  /** Signs the XSRF cookie's companions; random per process by default. */
  cookieSecret?: string;
}

/** The chat application: the page, the websocket, the templates and static files. */
export function makeApp(options: ChatAppOptions = {}): Application {
  const room = options.room ?? new ChatRoom();
  const broadcaster = options.broadcaster ?? new LocalBroadcaster<ChatMessage>();
  broadcaster.subscribe((message) => {
    room.updateCache(message);
    room.sendUpdates(message);
  });
  const args: ChatArgs = { room, broadcaster };
  return new Application(
    [
      ['/', MainHandler, args],
      ['/chatsocket', ChatSocketHandler, args],
    ],
    {
      cookieSecret: options.cookieSecret ?? randomBytes(32).toString('hex'),
      templatePath: fileURLToPath(new URL('../templates', import.meta.url)),
      staticPath: fileURLToPath(new URL('../static', import.meta.url)),
      xsrfCookies: true,
    },
  );
}
