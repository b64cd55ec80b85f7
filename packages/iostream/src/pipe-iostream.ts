/**
 * PipeIOStream: a BaseIOStream over a pipe's file descriptor (Unix).
 */
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import type { IOStreamOptions } from './base-iostream.js';
import { BaseIOStream } from './base-iostream.js';
import { SocketTransport } from './socket-transport.js';

/** Options of a {@link PipeIOStream}. */
export interface PipeIOStreamOptions extends IOStreamOptions {
  /** Read from the descriptor. Default: from its open mode where the OS tells it (Linux), else true. */
  readable?: boolean | undefined;
  /** Write to the descriptor. Default: from its open mode where the OS tells it (Linux), else true. */
  writable?: boolean | undefined;
}

/** The access mode of `fd` (O_RDONLY 0, O_WRONLY 1, O_RDWR 2), or null where unknown. */
function accessMode(fd: number): number | null {
  try {
    const info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
    const flags = /^flags:\s*([0-7]+)/m.exec(info);
    return flags === null ? null : Number.parseInt(flags[1]!, 8) & 3;
  } catch {
    return null;
  }
}

/** The descriptor under a pipe socket Node opened (a child process's stdio), or -1. */
function descriptorOf(socket: net.Socket): number {
  const handle = (socket as unknown as { _handle?: { fd?: unknown } | null })._handle;
  return typeof handle?.fd === 'number' ? handle.fd : -1;
}

/**
 * A stream over a pipe (or FIFO) descriptor, such as a child process's stdin or stdout.
 * Pipes are one-way: a stream over a read end only reads and one over a write end only
 * writes. The stream owns the descriptor and closes it when it closes.
 *
 * It also takes a pipe Node opened as a `net.Socket` (the `stdin`, `stdout` or `stderr` of a
 * `child_process` spawned with `'pipe'`); then `readable` and `writable` default to the
 * socket's own.
 *
 * @see Tornado `tornado.iostream.PipeIOStream`
 */
export class PipeIOStream extends BaseIOStream {
  /** The descriptor (-1 when a pipe socket does not tell it). */
  readonly fd: number;

  constructor(fd: number | net.Socket, options: PipeIOStreamOptions = {}) {
    if (typeof fd !== 'number') {
      const readable = options.readable ?? fd.readable;
      super(new SocketTransport(fd, { readable }), options);
      this.fd = descriptorOf(fd);
      return;
    }
    const mode = accessMode(fd);
    const readable = options.readable ?? mode !== 1;
    const writable = options.writable ?? mode !== 0;
    super(new SocketTransport(new net.Socket({ fd, readable, writable }), { readable }), options);
    this.fd = fd;
  }

  /** The descriptor. @see Tornado `PipeIOStream.fileno` */
  fileno(): number {
    return this.fd;
  }
}
