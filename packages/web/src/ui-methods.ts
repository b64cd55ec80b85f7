/**
 * UI methods: the `uiMethods` setting's functions, bound to a handler for its templates.
 */

type UiMethod = (handler: unknown, ...args: unknown[]) => unknown;

/** The `uiMethods` setting: one record of functions, or a list of them. */
export type UiMethodsSetting =
  | Readonly<Record<string, unknown>>
  | readonly Readonly<Record<string, unknown>>[]
  | undefined;

/**
 * The UI methods of the `uiMethods` setting (one record of functions, or a list of them, later
 * ones winning). Names that start with `_` or with an upper-case letter are skipped, as are
 * non-functions, so a module object with helpers and constants can be passed whole.
 *
 * @see Tornado `Application._load_ui_methods`
 */
export function loadUiMethods(uiMethods: UiMethodsSetting): Record<string, UiMethod> {
  const loaded: Record<string, UiMethod> = {};
  if (uiMethods === undefined) return loaded;
  const sources = Array.isArray(uiMethods)
    ? uiMethods
    : [uiMethods as Readonly<Record<string, unknown>>];
  for (const source of sources) {
    for (const [name, fn] of Object.entries(source)) {
      if (typeof fn !== 'function' || name.startsWith('_') || name[0] !== name[0]!.toLowerCase())
        continue;
      loaded[name] = fn as UiMethod;
    }
  }
  return loaded;
}

/**
 * The UI methods of `uiMethods` (see {@link loadUiMethods}), each bound so that a template's
 * `name(x)` calls `fn(handler, x)`.
 *
 * @see Tornado `RequestHandler._ui_method`
 */
export function bindUiMethods(
  uiMethods: UiMethodsSetting,
  handler: unknown,
): Record<string, unknown> {
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(loadUiMethods(uiMethods))) {
    bound[name] = (...args: unknown[]) => fn(handler, ...args);
  }
  return bound;
}
