/**
 * rawRequest: sends a request line exactly as written (no URL normalisation, unlike node:http
 * and fetch, which resolve `..` and `%2e%2e` before sending) and reads the whole answer.
 */
import { connect } from 'node:net';
import { HTTPHeaders } from '@tronada/httputil';

/** A parsed answer to {@link rawRequest}. */
export interface RawResponse {
  readonly code: number;
  readonly headers: HTTPHeaders;
  readonly body: Buffer;
}

/** Sends `METHOD target HTTP/1.1` to 127.0.0.1:`port` with `Connection: close`. */
export function rawRequest(port: number, target: string, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      if (split < 0) {
        reject(
          new Error(
            `No complete answer to ${method} ${target}: ${JSON.stringify(all.toString('latin1'))}`,
          ),
        );
        return;
      }
      const [statusLine = '', ...lines] = all.subarray(0, split).toString('latin1').split('\r\n');
      const headers = new HTTPHeaders();
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers.add(line.slice(0, colon), line.slice(colon + 1).trim());
      }
      resolve({ code: Number(statusLine.split(' ')[1]), headers, body: all.subarray(split + 4) });
    });
    socket.write(
      `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
    );
  });
}
