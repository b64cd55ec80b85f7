/**
 * Finds the example blocks of a markdown file: an `<!-- example: topic/name.ts -->` line, a
 * fenced code block holding the file `guide/examples/topic/name.ts` byte for byte, and an
 * `<!-- /example -->` line. `sync-examples.mjs` writes them; the tests check them.
 */

/** One example block: the file it names and the fenced text between its markers. */
export interface ExampleBlock {
  readonly path: string;
  readonly fenced: string;
}

const BLOCK = /<!-- example: (\S+) -->\n([\s\S]*?)<!-- \/example -->/g;

/** The fence language for an example file, from its extension. */
export function fenceLanguage(path: string): string {
  const extension = path.slice(path.lastIndexOf('.') + 1);
  return { ts: 'ts', mjs: 'js', conf: 'nginx', csv: 'csv', css: 'css' }[extension] ?? '';
}

/** The block text for a file's content: its fenced code block. */
export function fence(path: string, content: string): string {
  return `\`\`\`${fenceLanguage(path)}\n${content}\`\`\`\n`;
}

/** Every example block of `markdown`, in order. */
export function exampleBlocks(markdown: string): ExampleBlock[] {
  return [...markdown.matchAll(BLOCK)].map(([, path, fenced]) => ({
    path: path!,
    fenced: fenced!,
  }));
}
