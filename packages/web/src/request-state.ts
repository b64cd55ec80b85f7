/**
 * RequestState: the values a {@link RequestHandler} computes on demand during a request (the
 * current user, the locale, the XSRF token, the template UI namespace, the streaming futures).
 * Most requests need none of them, so a handler makes this object on first use only.
 */
import type { Future } from '@tronada/ioloop';
import type { Locale } from './locale/locale.js';

/** Marks `currentUser` as not computed yet (null and undefined are valid users). */
export const UNSET_USER: unique symbol = Symbol('unset');

/** The raw XSRF token of the request: from the `_xsrf` cookie, or new (version null). */
export interface RawXsrfToken {
  version: number | null;
  token: Buffer;
  timestamp: number;
}

/** What `RequestHandler` computes lazily, once per request. Internal to `RequestHandler`. */
export class RequestState {
  /** `getCurrentUser`'s answer (or what was assigned), or {@link UNSET_USER}. */
  currentUser: unknown = UNSET_USER;
  /** The template UI namespace, once built or assigned. */
  ui: Record<string, unknown> | null = null;
  /** The user's locale, once computed or assigned. */
  locale: Locale | undefined = undefined;
  /** The masked XSRF token, once computed. */
  xsrfToken: string | null = null;
  /** The raw XSRF token, once read from the cookie or made. */
  rawXsrf: RawXsrfToken | null = null;
  /** Streaming mode: settled when `prepare` is done. */
  prepared: Future<void> | null = null;
  /** Streaming mode: settled when the whole body has arrived. */
  bodyReceived: Future<void> | null = null;
}
