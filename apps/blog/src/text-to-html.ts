/**
 * Entry text to HTML: paragraphs at blank lines, line breaks kept, everything escaped and web
 * addresses made links (Tornado's demo used Markdown; plain text keeps the sample dependency-free).
 */
import { linkify } from '@tronada/template';

/** `"a\n\nb <c>"` → `"<p>a</p>\n<p>b &lt;c&gt;</p>"`. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${linkify(paragraph).replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');
}
