/**
 * testFetch: a small HTTP/1.1 client for tests, on `node:http` (independent of Tronada's own
 * HTTP code, so it checks what a real client sees).
 */
import http from 'node:http';
import https from 'node:https';
import { HTTPHeaders } from '@tronada/httputil';

/** Options of {@link testFetch}. */
export interface TestFetchOptions {
  /** Default GET (POST when a body is given). A POST without a `Content-Type` is sent as a form. */
  method?: string;
  /** Request headers (multiple values as arrays). */
  headers?: Record<string, string | string[]> | HTTPHeaders;
  /** The request body. */
  body?: string | Uint8Array;
  /** Follow 3xx redirects (default true, as Tornado's client). */
  followRedirects?: boolean;
  /** Most redirects followed (default 5). */
  maxRedirects?: number;
  /** Seconds before the request fails (default 10). */
  requestTimeout?: number;
  /** Accept any server certificate (for HTTPS test servers; default true). */
  allowSelfSigned?: boolean;
}

/** What {@link testFetch} returns: the response as a test looks at it. */
export interface TestResponse {
  /** The status code. */
  readonly code: number;
  /** The reason phrase. */
  readonly reason: string;
  /** The response headers, in order (case-insensitive). */
  readonly headers: HTTPHeaders;
  /** The body as received (not decompressed). */
  readonly body: Buffer;
  /** The body as UTF-8 text. */
  readonly text: string;
  /** The URL of the last request (after redirects). */
  readonly effectiveUrl: string;
  /** The body parsed as JSON. */
  json<T = unknown>(): T;
}

function toHeaderRecord(init: TestFetchOptions['headers']): Record<string, string | string[]> {
  if (init === undefined) return {};
  if (!(init instanceof HTTPHeaders)) return { ...init };
  const out: Record<string, string[]> = {};
  for (const [name, value] of init) {
    const values = out[name] ?? [];
    values.push(value);
    out[name] = values;
  }
  return out;
}

function once(url: URL, options: TestFetchOptions): Promise<TestResponse> {
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const method = options.method ?? (body === undefined ? 'GET' : 'POST');
  const client = url.protocol === 'https:' ? https : http;
  const headers = toHeaderRecord(options.headers);
  // Tornado's client labels a POST without a Content-Type as a form, so body arguments parse.
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (method.toUpperCase() === 'POST' && !hasType) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  return new Promise<TestResponse>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method,
        headers,
        agent: false,
        ...(url.protocol === 'https:' && { rejectUnauthorized: options.allowSelfSigned === false }),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const headers = new HTTPHeaders();
          const raw = response.rawHeaders;
          for (let i = 0; i < raw.length; i += 2) headers.add(raw[i]!, raw[i + 1]!);
          const all = Buffer.concat(chunks);
          resolve({
            code: response.statusCode ?? 0,
            reason: response.statusMessage ?? '',
            headers,
            body: all,
            text: all.toString('utf8'),
            effectiveUrl: url.href,
            json: <T>() => JSON.parse(all.toString('utf8')) as T,
          });
        });
      },
    );
    request.setTimeout((options.requestTimeout ?? 10) * 1000, () => {
      request.destroy(new Error(`testFetch: no response from ${url.href} within the timeout`));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Fetches `url` and collects the whole response. Follows redirects like Tornado's client
 * (301/302/303 turn POST into GET and drop the body; 307/308 keep both) unless
 * `followRedirects: false`. Rejects only on transport errors: any status is a response.
 */
export async function testFetch(
  url: string,
  options: TestFetchOptions = {},
): Promise<TestResponse> {
  let current = new URL(url);
  let request = { ...options };
  let redirects = options.maxRedirects ?? 5;
  for (;;) {
    const response = await once(current, request);
    const location = response.headers.get('Location');
    const follow = options.followRedirects !== false && redirects > 0;
    if (!follow || location === undefined || ![301, 302, 303, 307, 308].includes(response.code)) {
      return response;
    }
    redirects -= 1;
    current = new URL(location, current);
    const method = (request.method ?? (request.body === undefined ? 'GET' : 'POST')).toUpperCase();
    if (
      (response.code === 303 && method !== 'HEAD') ||
      ((response.code === 301 || response.code === 302) && method === 'POST')
    ) {
      const { body: _dropped, ...rest } = request;
      request = { ...rest, method: 'GET' };
    }
  }
}
