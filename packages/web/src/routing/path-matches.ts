import { urlEscape, urlUnescape } from '@tronada/template';
import { anchoredRegex, execAnchored } from './anchored-regex.js';
import {
  InvalidPathEncodingError,
  MixedGroupsError,
  NonReversibleUrlError,
  ReverseArgumentsError,
} from './errors.js';
import type { Matcher, MatchResult, RoutingRequest } from './matcher.js';
import { type ReverseTemplate, reverseTemplate } from './reverse-template.js';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Percent-decodes one captured group (`+` stays a plus) and reads it as strict UTF-8. */
function decodeGroup(raw: string | undefined, path: string): string | undefined {
  if (raw === undefined) return undefined;
  if (!raw.includes('%')) return raw;
  try {
    return STRICT_UTF8.decode(urlUnescape(raw, null, false));
  } catch (cause) {
    throw new InvalidPathEncodingError(
      `Invalid unicode in url: the path ${JSON.stringify(path)} decodes to bytes that are not UTF-8; percent-encode UTF-8 bytes`,
      { cause },
    );
  }
}

function groupBytes(raw: string | undefined): Buffer | undefined {
  if (raw === undefined) return undefined;
  if (!raw.includes('%')) return Buffer.from(raw, 'utf8');
  const bytes = urlUnescape(raw, null, false);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The groups of a path match as percent-decoded bytes; see {@link PathMatches.matchBytes}. */
export interface BytesMatchResult {
  pathArgs: (Buffer | undefined)[];
  pathKwargs: Record<string, Buffer | undefined>;
}

/**
 * Matches requests whose path matches a regex, from its start; a string pattern gets `$`
 * appended. The regex sees the path still percent-encoded (so `%2F` is not a `/`), and each
 * captured group is percent-decoded afterwards (`+` stays a plus) and read as UTF-8.
 *
 * Groups are all positional or all named. `pathArgs` holds every group in order, `undefined` for
 * an optional group that did not take part; named groups are also in `pathKwargs` by name.
 * A group that decodes to invalid UTF-8 throws {@link InvalidPathEncodingError}, which the web
 * layer answers with 400 (Tornado matches, then fails the request with 400 the same way).
 *
 * @see Tornado `tornado.routing.PathMatches`
 */
export class PathMatches implements Matcher {
  /** The compiled, anchored pattern. */
  readonly regex: RegExp;
  /** How many capturing groups the pattern has. */
  readonly groupCount: number;
  /** The names of the named groups, in order (empty for a positional pattern). */
  readonly groupNames: readonly string[];
  readonly #template: ReverseTemplate | null;

  constructor(pathPattern: string | RegExp) {
    this.regex = anchoredRegex(pathPattern);
    // An alternative that always matches the empty string shows every group, unmatched.
    const probe = new RegExp(`${this.regex.source}|`, this.regex.flags.replace('y', '')).exec('')!;
    this.groupCount = probe.length - 1;
    this.groupNames = Object.keys(probe.groups ?? {});
    if (this.groupNames.length !== 0 && this.groupNames.length !== this.groupCount) {
      throw new MixedGroupsError(
        `Groups in URL patterns must be all named or all positional: ${this.regex.source}; name every group or none`,
      );
    }
    const template = reverseTemplate(this.regex.source);
    this.#template =
      template !== null && template.optional.length === this.groupCount ? template : null;
  }

  match(request: RoutingRequest): MatchResult | null {
    const found = execAnchored(this.regex, request.path);
    if (found === null) return null;
    const pathArgs = found.slice(1).map((raw) => decodeGroup(raw, request.path));
    const pathKwargs: Record<string, string | undefined> = {};
    for (const name of this.groupNames)
      pathKwargs[name] = decodeGroup(found.groups?.[name], request.path);
    return { pathArgs, pathKwargs };
  }

  /**
   * Like {@link PathMatches.match}, but the groups are only percent-decoded, not read as
   * UTF-8: the bytes a handler's `decodeArgument` turns into text (so a handler may accept
   * other encodings). Never throws for a path that matches.
   */
  matchBytes(request: RoutingRequest): BytesMatchResult | null {
    if (this.groupCount === 0) {
      // No groups to return: a yes or no, without a match array.
      const regex = this.regex;
      regex.lastIndex = 0;
      return regex.test(request.path) ? { pathArgs: [], pathKwargs: {} } : null;
    }
    const found = execAnchored(this.regex, request.path);
    if (found === null) return null;
    if (found.length === 1) return { pathArgs: [], pathKwargs: {} };
    const pathArgs = found.slice(1).map(groupBytes);
    const pathKwargs: Record<string, Buffer | undefined> = {};
    for (const name of this.groupNames) pathKwargs[name] = groupBytes(found.groups?.[name]);
    return { pathArgs, pathKwargs };
  }

  /**
   * Rebuilds a path from one argument per group: each is turned into a string (bytes are taken
   * as they are) and percent-encoded with `/` kept. An optional group may get `undefined`, which
   * leaves it empty.
   *
   * @throws NonReversibleUrlError if the pattern has regex features outside its groups.
   * @throws ReverseArgumentsError if the number of arguments is not the number of groups.
   */
  reverse(...args: unknown[]): string {
    const template = this.#template;
    if (template === null) {
      throw new NonReversibleUrlError(
        `Cannot reverse URL pattern ${this.regex.source}: keep only literal text outside the capturing groups`,
      );
    }
    if (args.length !== this.groupCount) {
      throw new ReverseArgumentsError(
        `URL pattern ${this.regex.source} needs ${this.groupCount} argument(s), got ${args.length}`,
      );
    }
    let out = template.literals[0]!;
    args.forEach((arg, i) => {
      if (arg === undefined || arg === null) {
        if (!template.optional[i]) {
          throw new ReverseArgumentsError(
            `Argument ${i + 1} of URL pattern ${this.regex.source} is ${String(arg)}, but its group is not optional`,
          );
        }
      } else {
        out += urlEscape(arg instanceof Uint8Array ? arg : String(arg), false);
      }
      out += template.literals[i + 1]!;
    });
    return out;
  }
}
