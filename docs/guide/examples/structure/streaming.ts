import { createHash, type Hash } from 'node:crypto';
import { sleep } from '@tronada/gen';
import { Application, RequestHandler } from '@tronada/web';

// Upload: with streamRequestBody the body is not buffered; dataReceived sees it in pieces.
class UploadHandler extends RequestHandler {
  static override streamRequestBody = true;
  hash!: Hash;
  bytes = 0;

  override prepare() {
    this.hash = createHash('sha256');
  }

  override dataReceived(chunk: Buffer) {
    this.bytes += chunk.length;
    this.hash.update(chunk);
  }

  override put() {
    this.write({ bytes: this.bytes, sha256: this.hash.digest('hex') });
  }
}

// Download: flush() sends what is written so far (chunked), without ending the response.
class CountdownHandler extends RequestHandler {
  override *get() {
    for (let n = 3; n > 0; n--) {
      this.write(`${n}\n`);
      yield this.flush();
      yield* sleep(0.01);
    }
    this.write('liftoff\n');
  }
}

export function makeApp(): Application {
  return new Application([
    ['/upload', UploadHandler],
    ['/countdown', CountdownHandler],
  ]);
}
