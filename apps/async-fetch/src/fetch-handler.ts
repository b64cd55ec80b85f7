/**
 * FetchHandler: what the four fetching handlers share: the URL to fetch and the page that
 * reports the response. Each subclass only differs in how it waits for the client.
 */
import type { HTTPResponse } from '@tronada/httpclient';
import { AsyncHTTPClient } from '@tronada/httpclient';
import { HTTPError, RequestHandler } from '@tronada/web';

/** The ways of writing the same fetch that this app shows, as they appear in its URLs. */
export const FetchStyle = {
  GENERATOR: 'generator',
  ASYNC: 'async',
  ENGINE: 'engine',
  CALLBACK: 'callback',
} as const;
/** One of {@link FetchStyle}. */
export type FetchStyle = (typeof FetchStyle)[keyof typeof FetchStyle];

/** What the result page shows about a response. */
export interface FetchSummary {
  readonly url: string;
  readonly code: number;
  readonly contentType: string;
  readonly bytes: number;
  readonly title: string;
}

/**
 * A handler that fetches `?url=` (by default `/page` of this same server, so the lesson works
 * offline) with the loop's shared {@link AsyncHTTPClient} and renders what came back.
 */
export class FetchHandler extends RequestHandler {
  /** The loop's shared client: each request just asks for it, as Tornado code does. */
  get client(): AsyncHTTPClient {
    return new AsyncHTTPClient();
  }

  /** `?url=`, or this server's own `/page`. */
  targetUrl(): string {
    const url = this.getArgument('url', null);
    if (url === null || url === '') return `${this.request.protocol}://${this.request.host}/page`;
    if (!/^https?:\/\//.test(url))
      throw new HTTPError(400, 'url must be http(s): %s', { args: [url] });
    return url;
  }

  /** Renders the result page for `response`, fetched in `style`. */
  renderFetched(style: FetchStyle, response: HTTPResponse): void {
    void this.render('fetched.html', { style, summary: summarize(response) });
  }

  /** The error to throw when no response arrived (refused, reset, timed out): a 502. */
  unreachable(url: string, error: unknown): HTTPError {
    return new HTTPError(502, 'fetching %s failed: %s', {
      args: [url, error instanceof Error ? error.message : String(error)],
    });
  }
}

/** The facts the result page shows; the same response gives the same summary. */
export function summarize(response: HTTPResponse): FetchSummary {
  return {
    url: response.effectiveUrl,
    code: response.code,
    contentType: String(response.headers.get('Content-Type') ?? ''),
    bytes: response.body.length,
    title: /<title>([^<]*)<\/title>/i.exec(response.text)?.[1]?.trim() ?? '',
  };
}
