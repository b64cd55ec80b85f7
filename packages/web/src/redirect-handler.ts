/**
 * RedirectHandler: redirects every request to a fixed URL, filled in from the path's groups.
 */
import { qsToQsl, urlConcat } from '@tronada/httputil';
import { RequestHandler } from './request-handler.js';

/**
 * Fills `{0}`, `{1}`, `{}` (the next one) and `{name}` in `template` from positional and named
 * values, with `{{` and `}}` for literal braces, as Python's `str.format` does. A missing value
 * is an error.
 */
export function formatUrlTemplate(
  template: string,
  args: readonly (string | undefined)[],
  kwargs: Readonly<Record<string, string | undefined>>,
): string {
  let next = 0;
  return template.replace(/\{\{|\}\}|\{(\w*)\}/g, (token, key: string | undefined) => {
    if (token === '{{') return '{';
    if (token === '}}') return '}';
    const value = key === '' ? args[next++] : /^\d+$/.test(key!) ? args[Number(key)] : kwargs[key!];
    if (value === undefined) {
      throw new RangeError(
        `RedirectHandler url ${JSON.stringify(template)} has no value for {${key}}`,
      );
    }
    return value;
  });
}

/**
 * Redirects GET requests to `url` (an initialize argument), 301 unless `permanent: false`.
 * `{0}`, `{1}`... in the URL are replaced by the path's groups (`{name}` by named groups), and
 * the request's query arguments are carried over (added to any already in `url`).
 *
 * ```ts
 * ['/pictures/(.*)', RedirectHandler, { url: '/photos/{0}' }]
 * ```
 *
 * @see Tornado `tornado.web.RedirectHandler`
 */
export class RedirectHandler extends RequestHandler {
  #url = '';
  #permanent = true;

  override initialize(kwargs: { url: string; permanent?: boolean }): void {
    this.#url = kwargs.url;
    this.#permanent = kwargs.permanent ?? true;
  }

  override get(...args: (string | undefined)[]): void {
    let target = formatUrlTemplate(this.#url, args, this.pathKwargs);
    const query = this.request.queryArguments;
    if (Object.keys(query).length > 0) {
      target = urlConcat(
        target,
        [...qsToQsl(query)].map(([name, value]) => [name, value.toString('utf8')] as const),
      );
    }
    this.redirect(target, { permanent: this.#permanent });
  }
}
