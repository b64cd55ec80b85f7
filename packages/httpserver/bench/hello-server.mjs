// The hello-world server of the httpserver benchmarks: a request callback that answers
// "Hello, world" with a Content-Length, and no access log.
import { HTTPServer } from '@tronada/httpserver';
import { HTTPHeaders, ResponseStartLine } from '@tronada/httputil';

const BODY = Buffer.from('Hello, world');
const OK = new ResponseStartLine('HTTP/1.1', 200, 'OK');

/** A new HTTPServer answering every request with "Hello, world" (`options` added to its own). */
export function helloServer(options = {}) {
  return new HTTPServer(
    (request) => {
      const headers = new HTTPHeaders({ 'Content-Type': 'text/plain', 'Content-Length': '12' });
      request.connection.writeHeaders(OK, headers, BODY);
      request.connection.finish();
    },
    { logRequest: null, ...options },
  );
}
