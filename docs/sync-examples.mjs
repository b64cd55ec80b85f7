// Copies every example file into the markdown blocks that name it (docs/guide/*.md and the
// top-level README.md): `npm run sync-examples -w @tronada-apps/docs` after editing an example.
// The docs tests fail while a block differs from its file.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const docs = new URL('./', import.meta.url);
const examples = new URL('guide/examples/', docs);
const markdownFiles = [
  ...readdirSync(new URL('guide/', docs))
    .filter((name) => name.endsWith('.md'))
    .map((name) => new URL(`guide/${name}`, docs)),
  new URL('../README.md', docs),
];
const languages = { ts: 'ts', mjs: 'js', conf: 'nginx', csv: 'csv', css: 'css' };

for (const file of markdownFiles) {
  const before = readFileSync(file, 'utf8');
  const after = before.replace(
    /<!-- example: (\S+) -->\n[\s\S]*?<!-- \/example -->/g,
    (_block, path) => {
      const content = readFileSync(new URL(path, examples), 'utf8');
      const language = languages[path.slice(path.lastIndexOf('.') + 1)] ?? '';
      return `<!-- example: ${path} -->\n\`\`\`${language}\n${content}\`\`\`\n<!-- /example -->`;
    },
  );
  if (after !== before) {
    writeFileSync(file, after);
    console.log(`updated ${file.pathname}`);
  }
}
