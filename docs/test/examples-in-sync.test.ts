import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exampleBlocks, fence } from './example-blocks.js';

const docs = new URL('../', import.meta.url);
const examples = new URL('guide/examples/', docs);
const guidePages = readdirSync(new URL('guide/', docs)).filter((name) => name.endsWith('.md'));
const markdownFiles = [
  ...guidePages.map((name) => ({
    name: `docs/guide/${name}`,
    url: new URL(`guide/${name}`, docs),
  })),
  { name: 'README.md', url: new URL('../README.md', docs) },
];

/** Every source file under guide/examples, as a path relative to it. */
function exampleSources(): string[] {
  return readdirSync(examples, { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.(ts|mjs)$/.test(path))
    .sort();
}

describe('the markdown example blocks', () => {
  for (const { name, url } of markdownFiles) {
    it(`${name}: each block is byte-identical to its example file`, () => {
      const markdown = readFileSync(url, 'utf8');
      for (const block of exampleBlocks(markdown)) {
        const content = readFileSync(new URL(block.path, examples), 'utf8');
        expect(block.fenced, `${block.path} (run npm run sync-examples -w docs)`).toBe(
          fence(block.path, content),
        );
      }
    });

    it(`${name}: has no code block outside the example markers`, () => {
      const outside = readFileSync(url, 'utf8').replace(
        /<!-- example: \S+ -->\n[\s\S]*?<!-- \/example -->/g,
        '',
      );
      const languages = [...outside.matchAll(/^```(\w+)/gm)].map((m) => m[1]);
      expect(languages.filter((l) => l !== 'sh')).toEqual([]);
    });
  }

  it('shows every example source file somewhere', () => {
    const shown = new Set(
      markdownFiles.flatMap(({ url }) =>
        exampleBlocks(readFileSync(url, 'utf8')).map((b) => b.path),
      ),
    );
    expect(exampleSources().filter((path) => !shown.has(path))).toEqual([]);
  });

  it('has the guide pages the index links to', () => {
    const index = readFileSync(new URL('guide/index.md', docs), 'utf8');
    const linked = [...index.matchAll(/\]\(\.\/([\w-]+\.md)\)/g)].map((m) => m[1]);
    expect(new Set(linked)).toEqual(new Set(guidePages.filter((p) => p !== 'index.md')));
  });
});
