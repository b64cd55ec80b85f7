/**
 * Name resolution: the {@link Resolver} seam that `TCPClient` (and later the HTTP client) resolve
 * through, and {@link DefaultResolver}, which asks the operating system (`dns.lookup`, i.e.
 * getaddrinfo on libuv's thread pool, so the loop never blocks).
 */

import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns';
import { Future } from '@tronada/ioloop';
import { ResolveError } from './network-errors.js';

/** An IP family: 4 or 6. */
export type AddressFamily = 4 | 6;

/** One address a host name resolved to, ready to connect to. */
export interface ResolvedAddress {
  readonly family: AddressFamily;
  /** A literal IP address (an IPv6 one may carry a `%zone`). */
  readonly address: string;
  readonly port: number;
}

/**
 * Turns a host name into the addresses to try, in preference order.
 *
 * @see Tornado `tornado.netutil.Resolver`
 */
export interface Resolver {
  /**
   * Resolves `host` (a name or a literal IP) for `port`. With `family`, only addresses of that
   * family are returned. Fails with a {@link ResolveError} when nothing is found.
   */
  resolve(host: string, port: number, family?: AddressFamily): Future<ResolvedAddress[]>;
  /** Frees what the resolver holds. Optional; a no-op for the default resolver. */
  close?(): void;
}

/** The shape of `dns.lookup` with `{ all: true }` that {@link DefaultResolver} calls. */
export type LookupFunction = (
  host: string,
  options: { all: true; family: 0 | AddressFamily },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** Options of {@link DefaultResolver}. */
export interface DefaultResolverOptions {
  /**
   * The lookup to call; default `dns.lookup` from `node:dns`. Replace it to resolve through
   * something else (a cache, a fake in tests) without writing a whole Resolver.
   */
  lookup?: LookupFunction;
}

/**
 * Resolves through the operating system (`dns.lookup` with `all: true`): `/etc/hosts`, then
 * DNS, in the order getaddrinfo returns them. Never blocks the loop.
 *
 * @see Tornado `tornado.netutil.DefaultLoopResolver`
 */
export class DefaultResolver implements Resolver {
  readonly #lookup: LookupFunction;

  constructor(options: DefaultResolverOptions = {}) {
    this.#lookup = options.lookup ?? (dnsLookup as unknown as LookupFunction);
  }

  resolve(host: string, port: number, family?: AddressFamily): Future<ResolvedAddress[]> {
    const future = new Future<ResolvedAddress[]>();
    const done = (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]): void => {
      if (future.done()) return;
      if (error !== null) {
        future.setException(new ResolveError(host, error.code ?? error.message, { cause: error }));
        return;
      }
      const found: ResolvedAddress[] = [];
      for (const a of addresses) {
        if (a.family !== 4 && a.family !== 6) continue;
        found.push({ family: a.family, address: a.address, port });
      }
      if (found.length === 0) {
        future.setException(new ResolveError(host, 'no addresses found'));
        return;
      }
      future.setResult(found);
    };
    try {
      this.#lookup(host, { all: true, family: family ?? 0 }, done);
    } catch (error) {
      // dns.lookup throws synchronously on arguments it rejects (e.g. a non-string host).
      done(error as NodeJS.ErrnoException, []);
    }
    return future;
  }

  close(): void {}
}
