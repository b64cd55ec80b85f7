import { AsyncHTTPClient } from '@tronada/httpclient';
import { Future } from '@tronada/ioloop';

// Future style: return a placeholder for the result and settle it later.
export function asyncFetchFuture(url: string): Future<string> {
  const result = new Future<string>();
  const fetching = new AsyncHTTPClient().fetch(url);
  fetching.addDoneCallback((done) => {
    const error = done.exception();
    if (error === null) result.setResult(done.result().text);
    else result.setException(error);
  });
  return result;
}
