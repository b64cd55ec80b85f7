/**
 * Shared vitest settings for every workspace.
 *
 * Vitest runs Node tests in Vite's SSR environment, so only `ssr.resolve.conditions` takes effect.
 * The `@tronada/source` condition makes `@tronada/*` imports resolve to `src/index.ts`, so tests
 * run from source without a build.
 */
const conditions = ['@tronada/source', 'node', 'development|production'];

/** Vite options that resolve workspace packages to their TypeScript sources. */
export const sourceConditions = { ssr: { resolve: { conditions } } };
