// Names each module of the API reference after its import path: typedoc derives
// "web/src/testing" from the file path of packages/web/src/testing/index.ts, but users write
// `import ... from '@tronada/web/testing'`.
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const match = /^(\w+)\/src(?:\/(\w+))?$/.exec(module.name);
      if (match) module.name = `@tronada/${match[1]}${match[2] ? `/${match[2]}` : ''}`;
    }
  });
}
