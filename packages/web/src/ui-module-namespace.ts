/**
 * The per-request UI module namespace: `_tt_modules` (what `{% module Name(...) %}` calls) and
 * `modules` in templates.
 */
import type { RequestHandler } from './request-handler.js';
import type { UIModule, UIModuleClass } from './ui-module.js';

// The module instances each handler's templates used, in first-use order (Tornado keeps them
// on the handler as `_active_modules`).
const activeModules = new WeakMap<RequestHandler, Map<string, UIModule>>();

/**
 * An object with one function per UI module: calling `Name(...args)` creates the handler's
 * `Name` module on first use and returns its `render(...args)`. The same instance serves later
 * calls, and {@link activeUiModules} lists the instances for `render` to collect resources.
 *
 * @see Tornado `_UIModuleNamespace` and `RequestHandler._ui_module`
 */
export function createUiModuleNamespace(
  handler: RequestHandler,
  modules: Readonly<Record<string, UIModuleClass>>,
): Record<string, (...args: unknown[]) => string> {
  const namespace: Record<string, (...args: unknown[]) => string> = Object.create(null);
  for (const [name, ModuleClass] of Object.entries(modules)) {
    namespace[name] = (...args: unknown[]) => {
      let active = activeModules.get(handler);
      if (active === undefined) {
        active = new Map();
        activeModules.set(handler, active);
      }
      let module = active.get(name);
      if (module === undefined) {
        module = new ModuleClass(handler);
        active.set(name, module);
      }
      return module.render(...args);
    };
  }
  return namespace;
}

/** The UI modules `handler`'s templates have called so far, in first-use order. */
export function activeUiModules(handler: RequestHandler): readonly UIModule[] {
  return [...(activeModules.get(handler)?.values() ?? [])];
}
