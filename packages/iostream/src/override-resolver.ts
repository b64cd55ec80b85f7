/**
 * OverrideResolver: local "DNS" overrides on top of another resolver, for tests and for pointing
 * a client at a local server without touching `/etc/hosts`.
 */
import type { Future } from '@tronada/ioloop';
import type { AddressFamily, ResolvedAddress, Resolver } from './resolver.js';

/**
 * One override, in Tornado's three forms:
 * - `['example.com', '127.0.1.1']`: a host to another host (any port, any family);
 * - `[['login.example.com', 443], ['localhost', 1443]]`: a host and port to a host and port;
 * - `[['login.example.com', 443, 6], ['::1', 1443]]`: the same, only for that family.
 */
export type OverrideEntry =
  | readonly [host: string, to: string]
  | readonly [
      from: readonly [host: string, port: number],
      to: readonly [host: string, port: number],
    ]
  | readonly [
      from: readonly [host: string, port: number, family: AddressFamily],
      to: readonly [host: string, port: number],
    ];

/**
 * The overrides: a list (or Map) of {@link OverrideEntry}, or a plain record of host to host
 * (`{ 'example.com': '127.0.0.1' }`).
 */
export type OverrideMapping = Iterable<OverrideEntry> | Readonly<Record<string, string>>;

function key(host: string, port?: number, family?: AddressFamily): string {
  // NUL cannot occur in a host name, so the parts cannot run into each other.
  return [host, port, family].filter((p) => p !== undefined).join('\0');
}

function isIterable(value: OverrideMapping): value is Iterable<OverrideEntry> {
  return typeof (value as Partial<Iterable<OverrideEntry>>)[Symbol.iterator] === 'function';
}

/**
 * Wraps a resolver with a mapping of overrides. The most specific match wins: host, port and
 * family first, then host and port, then host alone; the (possibly rewritten) host and port are
 * then resolved by the wrapped resolver. `close()` closes the wrapped resolver.
 *
 * @see Tornado `tornado.netutil.OverrideResolver`
 */
export class OverrideResolver implements Resolver {
  /** The resolver that does the actual lookups. */
  readonly resolver: Resolver;
  readonly #targets = new Map<string, { host: string; port?: number }>();

  constructor(resolver: Resolver, mapping: OverrideMapping) {
    this.resolver = resolver;
    const entries: Iterable<OverrideEntry> = isIterable(mapping)
      ? mapping
      : Object.entries(mapping);
    for (const [from, to] of entries) {
      if (typeof from === 'string') {
        this.#targets.set(key(from), { host: to as string });
      } else {
        const [host, port, family] = from as readonly [string, number, AddressFamily?];
        const [toHost, toPort] = to as readonly [string, number];
        this.#targets.set(key(host, port, family), { host: toHost, port: toPort });
      }
    }
  }

  resolve(host: string, port: number, family?: AddressFamily): Future<ResolvedAddress[]> {
    const target =
      (family !== undefined ? this.#targets.get(key(host, port, family)) : undefined) ??
      this.#targets.get(key(host, port)) ??
      this.#targets.get(key(host));
    if (target === undefined) return this.resolver.resolve(host, port, family);
    return this.resolver.resolve(target.host, target.port ?? port, family);
  }

  close(): void {
    this.resolver.close?.();
  }
}
