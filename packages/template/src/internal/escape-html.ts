/**
 * The HTML escaper behind `xhtmlEscape` and the `{{ }}` fast path.
 *
 * Most values in a page contain none of the five special characters, so a cheap regex test runs
 * first and the string is returned as it is. Otherwise one pass copies the runs between special
 * characters and appends their entities.
 */

const SPECIAL = /[&<>"']/;

/** Returns `text` with `& < > " '` replaced by `&amp; &lt; &gt; &quot; &#39;`. */
export function escapeHtml(text: string): string {
  if (!SPECIAL.test(text)) return text;
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    let entity: string;
    switch (text.charCodeAt(i)) {
      case 38:
        entity = '&amp;';
        break;
      case 60:
        entity = '&lt;';
        break;
      case 62:
        entity = '&gt;';
        break;
      case 34:
        entity = '&quot;';
        break;
      case 39:
        entity = '&#39;';
        break;
      default:
        continue;
    }
    if (last !== i) out += text.slice(last, i);
    out += entity;
    last = i + 1;
  }
  return last === text.length ? out : out + text.slice(last);
}
