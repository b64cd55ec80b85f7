/**
 * Method wrappers for request handlers: Tornado's decorators as plain functions.
 *
 * Each takes a handler method and returns the wrapped method, so it works without decorator
 * syntax (`override get = authenticated(function (this: MyHandler) { ... })`) and also as a
 * TC39 method decorator where the toolchain compiles them (`@authenticated override get()`).
 */

import { ExceptionStackContext, IOLoop } from '@tronada/ioloop';
import { urlEscape } from '@tronada/template';
import { HTTPError } from './errors.js';
import { pendingResult } from './handler-result.js';
import {
  handleRequestException,
  type RequestHandler,
  RequestHandler as RequestHandlerBase,
  setAutoFinish,
} from './request-handler.js';

/** A handler method as the wrappers accept and return it. */
export type HandlerMethod<
  H extends RequestHandler = RequestHandler,
  A extends unknown[] = never[],
> = (this: H, ...args: A) => unknown;

function named<F extends (...args: never[]) => unknown>(wrapper: F, original: { name: string }): F {
  Object.defineProperty(wrapper, 'name', { value: original.name });
  return wrapper;
}

/**
 * Requires a logged-in user (`currentUser`): anonymous GET and HEAD requests are redirected to
 * the login URL with `?next=` the current URL; other methods get a 403.
 *
 * @see Tornado `tornado.web.authenticated`
 */
export function authenticated<H extends RequestHandler, A extends unknown[]>(
  method: HandlerMethod<H, A>,
  _context?: unknown,
): HandlerMethod<H, A> {
  return named(function (this: H, ...args: A): unknown {
    if (!this.currentUser) {
      const requestMethod = this.request.method;
      if (requestMethod === 'GET' || requestMethod === 'HEAD') {
        let url = this.getLoginUrl();
        if (!url.includes('?')) {
          const next = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)
            ? this.request.fullUrl()
            : this.request.uri;
          url += `?next=${urlEscape(next)}`;
        }
        this.redirect(url);
        return undefined;
      }
      throw new HTTPError(403);
    }
    return method.apply(this, args);
  }, method);
}

/**
 * Redirects (301) GET and HEAD requests whose path ends in `/` to the path without it; other
 * methods get a 404. Use with a pattern like `/foo/*`.
 *
 * @see Tornado `tornado.web.removeslash`
 */
export function removeslash<H extends RequestHandler, A extends unknown[]>(
  method: HandlerMethod<H, A>,
  _context?: unknown,
): HandlerMethod<H, A> {
  return named(function (this: H, ...args: A): unknown {
    const path = this.request.path;
    if (path.endsWith('/')) {
      const requestMethod = this.request.method;
      if (requestMethod !== 'GET' && requestMethod !== 'HEAD') throw new HTTPError(404);
      let uri = path.replace(/\/+$/, '');
      if (uri) {
        if (this.request.query) uri += `?${this.request.query}`;
        this.redirect(uri, { permanent: true });
        return undefined;
      }
    }
    return method.apply(this, args);
  }, method);
}

/**
 * Redirects (301) GET and HEAD requests whose path lacks a trailing `/` to the path with it;
 * other methods get a 404. Use with a pattern like `/foo/?`.
 *
 * @see Tornado `tornado.web.addslash`
 */
export function addslash<H extends RequestHandler, A extends unknown[]>(
  method: HandlerMethod<H, A>,
  _context?: unknown,
): HandlerMethod<H, A> {
  return named(function (this: H, ...args: A): unknown {
    if (!this.request.path.endsWith('/')) {
      const requestMethod = this.request.method;
      if (requestMethod !== 'GET' && requestMethod !== 'HEAD') throw new HTTPError(404);
      let uri = `${this.request.path}/`;
      if (this.request.query) uri += `?${this.request.query}`;
      this.redirect(uri, { permanent: true });
      return undefined;
    }
    return method.apply(this, args);
  }, method);
}

/**
 * The legacy callback style (Tornado before 6): the request is not finished when the method
 * returns; the method (or a callback it schedules) calls `finish()` itself. An exception thrown
 * later by a callback scheduled through the IOLoop still reaches the handler and becomes an
 * error response. A method returning a Future or generator finishes when that completes.
 *
 * @see Tornado `tornado.web.asynchronous` (removed in Tornado 6)
 */
export function asynchronous<H extends RequestHandler, A extends unknown[]>(
  method: HandlerMethod<H, A>,
  _context?: unknown,
): HandlerMethod<H, A> {
  return named(function (this: H, ...args: A): unknown {
    setAutoFinish(this, false);
    const context = new ExceptionStackContext((error) => {
      handleRequestException(this, error);
      return true;
    });
    return context.run(() => {
      const result = method.apply(this, args);
      const pending = pendingResult(result, method.name || 'asynchronous');
      if (pending === undefined) return undefined;
      IOLoop.current().addFuture(pending, (done) => {
        done.result();
        if (!this.finished) void this.finish();
      });
      return undefined;
    });
  }, method);
}

/**
 * Marks a handler class as streaming its request bodies (sets `streamRequestBody`): `prepare`
 * runs when the headers arrive and `dataReceived` gets the body piece by piece.
 *
 * @see Tornado `tornado.web.stream_request_body`
 */
export function streamRequestBody<C extends typeof RequestHandlerBase>(
  cls: C,
  _context?: unknown,
): C {
  if (!(cls === RequestHandlerBase || cls.prototype instanceof RequestHandlerBase)) {
    throw new TypeError(`streamRequestBody expects a RequestHandler subclass, got ${String(cls)}`);
  }
  cls.streamRequestBody = true;
  return cls;
}
