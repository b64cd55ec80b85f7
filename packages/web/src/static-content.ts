/**
 * The content of a static file, read in chunks (never whole), and the content hash used as its
 * version.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * What `StaticFileHandler.getContent` may return: the bytes themselves, or chunks of them
 * (sync or async). Large content should come in chunks; each one is flushed before the next is
 * read.
 */
export type StaticContent = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** The size of the chunks a file is read in (64 KiB, as Tornado). */
export const STATIC_CHUNK_SIZE = 64 * 1024;

/**
 * Bytes `start` (inclusive, default 0) to `end` (exclusive, default end of file) of the file at
 * `absPath`, as 64 KiB chunks. Iterating it asynchronously reads with non-blocking I/O (how
 * the handler serves it); iterating it synchronously reads with blocking I/O (how
 * `getContentVersion` hashes it, since static URLs are built synchronously). Each iteration
 * opens the file anew and closes it when done or abandoned.
 *
 * @see Tornado `StaticFileHandler.get_content`
 */
export class FileContent implements Iterable<Buffer>, AsyncIterable<Buffer> {
  /** The file read. */
  readonly absPath: string;
  /** The first byte read. */
  readonly start: number;
  /** One past the last byte read; null reads to the end of the file. */
  readonly end: number | null;

  constructor(absPath: string, start: number | null = null, end: number | null = null) {
    this.absPath = absPath;
    this.start = start ?? 0;
    this.end = end;
  }

  #nextSize(position: number): number {
    return this.end === null ? STATIC_CHUNK_SIZE : Math.min(STATIC_CHUNK_SIZE, this.end - position);
  }

  *[Symbol.iterator](): Generator<Buffer, void, undefined> {
    const fd = openSync(this.absPath, 'r');
    try {
      let position = this.start;
      for (let size = this.#nextSize(position); size > 0; size = this.#nextSize(position)) {
        const buffer = Buffer.allocUnsafe(size);
        const read = readSync(fd, buffer, 0, size, position);
        if (read === 0) return;
        position += read;
        yield buffer.subarray(0, read);
      }
    } finally {
      closeSync(fd);
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer, void, undefined> {
    const file = await open(this.absPath, 'r');
    try {
      let position = this.start;
      for (let size = this.#nextSize(position); size > 0; size = this.#nextSize(position)) {
        // A fresh buffer per chunk: the previous one may still be queued on the socket.
        const buffer = Buffer.allocUnsafe(size);
        const { bytesRead } = await file.read(buffer, 0, size, position);
        if (bytesRead === 0) return;
        position += bytesRead;
        yield buffer.subarray(0, bytesRead);
      }
    } finally {
      await file.close();
    }
  }
}

/** True when `content` can be read chunk by chunk without blocking. */
export function isAsyncContent(content: StaticContent): content is AsyncIterable<Uint8Array> {
  return !(content instanceof Uint8Array) && Symbol.asyncIterator in Object(content);
}

/**
 * The hex SHA-512 of `content`, read synchronously. Content that can only be read
 * asynchronously cannot be hashed here: a handler whose `getContent` returns such content
 * must override `getContentVersion` too.
 *
 * @see Tornado `StaticFileHandler.get_content_version`
 */
export function hashContentSync(content: StaticContent): string {
  const hash = createHash('sha512');
  if (content instanceof Uint8Array) return hash.update(content).digest('hex');
  if (!(Symbol.iterator in Object(content))) {
    throw new TypeError(
      'getContent returned only an async iterable, which cannot be hashed synchronously; ' +
        'override getContentVersion in your StaticFileHandler subclass',
    );
  }
  for (const chunk of content as Iterable<Uint8Array>) hash.update(chunk);
  return hash.digest('hex');
}

/** The hex SHA-512 of `content`, read asynchronously when it can be (no blocking I/O). */
export async function hashContent(content: StaticContent): Promise<string> {
  if (!isAsyncContent(content)) return hashContentSync(content);
  const hash = createHash('sha512');
  for await (const chunk of content) hash.update(chunk);
  return hash.digest('hex');
}
