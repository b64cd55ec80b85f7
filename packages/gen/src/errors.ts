/**
 * The errors of `@tronada/gen`: the legacy yield-point errors (Tornado 3/4) and the re-exported
 * `BadYieldError` and `TimeoutError`, which `@tronada/ioloop` defines so both packages throw the
 * same classes.
 */
import { TronadaError } from '@tronada/ioloop';

/**
 * A `Callback` (or `Task`) key was registered while a callback with the same key was still
 * pending in the same coroutine.
 *
 * @see Tornado `tornado.gen.KeyReuseError`
 */
export class KeyReuseError extends TronadaError {
  override readonly name = 'KeyReuseError';
  readonly code = 'ERR_KEY_REUSE';
}

/**
 * A `Wait` named a key that no `Callback` registered.
 *
 * @see Tornado `tornado.gen.UnknownKeyError`
 */
export class UnknownKeyError extends TronadaError {
  override readonly name = 'UnknownKeyError';
  readonly code = 'ERR_UNKNOWN_KEY';
}

/**
 * A legacy coroutine finished while a `Callback` it created was never waited for.
 *
 * @see Tornado `tornado.gen.LeakedCallbackError`
 */
export class LeakedCallbackError extends TronadaError {
  override readonly name = 'LeakedCallbackError';
  readonly code = 'ERR_LEAKED_CALLBACK';
}

/**
 * An `engine` function returned a value; engine functions report results through callbacks.
 *
 * @see Tornado `tornado.gen.ReturnValueIgnoredError`
 */
export class ReturnValueIgnoredError extends TronadaError {
  override readonly name = 'ReturnValueIgnoredError';
  readonly code = 'ERR_RETURN_VALUE_IGNORED';
}
