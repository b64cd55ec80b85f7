import { TronadaError } from '@tronada/ioloop';

/**
 * A URL pattern cannot be turned back into a URL: it has regex features outside its capturing
 * groups (a character class, an escape like `\d`, an alternation, a quantified group...).
 *
 * @see Tornado `PathMatches.reverse` (`ValueError: Cannot reverse url regex`)
 */
export class NonReversibleUrlError extends TronadaError {
  override readonly name = 'NonReversibleUrlError';
  readonly code = 'ERR_URL_NOT_REVERSIBLE';
}

/**
 * `reverse` was given the wrong number of arguments for the pattern's capturing groups.
 *
 * @see Tornado `PathMatches.reverse` (`AssertionError: required number of arguments not found`)
 */
export class ReverseArgumentsError extends TronadaError {
  override readonly name = 'ReverseArgumentsError';
  readonly code = 'ERR_REVERSE_ARGUMENTS';
}

/**
 * A path capturing group decoded to bytes that are not valid UTF-8 (e.g. `/%FF`). The web layer
 * answers it with 400 `Invalid unicode in url`, as Tornado does.
 *
 * @see Tornado `RequestHandler._execute` (the `Invalid unicode in url` check)
 */
export class InvalidPathEncodingError extends TronadaError {
  override readonly name = 'InvalidPathEncodingError';
  readonly code = 'ERR_INVALID_PATH_ENCODING';
}

/**
 * A URL pattern mixes named and positional capturing groups, which Tornado forbids.
 *
 * @see Tornado `PathMatches.__init__` (`groups in url regexes must either be all named or all positional`)
 */
export class MixedGroupsError extends TronadaError {
  override readonly name = 'MixedGroupsError';
  readonly code = 'ERR_MIXED_URL_GROUPS';
}
