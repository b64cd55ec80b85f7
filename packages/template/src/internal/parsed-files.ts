import type { Template } from '../template.js';
import type { ParsedFile } from './nodes.js';

// The parsed form of each Template, for the code generator of templates that extend or include
// it. Kept here rather than on the Template so that it is not part of the public API.
const parsedFiles = new WeakMap<Template, ParsedFile>();

/** Records the parsed form of `template` (called by its constructor). */
export function setParsedFile(template: Template, file: ParsedFile): void {
  parsedFiles.set(template, file);
}

/** The parsed form of a Template built by this package. */
export function parsedFileOf(template: Template): ParsedFile {
  const file = parsedFiles.get(template);
  if (file === undefined) {
    throw new TypeError(
      'A template loader returned an object that is not a Template of @tronada/template',
    );
  }
  return file;
}
