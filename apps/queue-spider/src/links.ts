/**
 * Finding the links of a page: the `href` of every `<a>` tag, made absolute against the page's
 * URL and stripped of its fragment (Tornado's guide uses `HTMLParser` and `urljoin` for this).
 */

// An `<a ...>` start tag's href, double-quoted, single-quoted or bare. A regular expression is
// enough for a sample: a page that hides links in scripts or comments is not what it is about.
const ANCHOR_HREF = /<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;

const ENTITIES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&quot;': '"',
  '&#39;': "'",
  '&lt;': '<',
  '&gt;': '>',
};

/** The raw `href` values of the `<a>` tags in `html`, in document order, entities decoded. */
export function getLinks(html: string): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(ANCHOR_HREF)) {
    const raw = match[1] ?? match[2] ?? match[3] ?? '';
    found.push(raw.replace(/&(?:amp|quot|#39|lt|gt);/g, (entity) => ENTITIES[entity] ?? entity));
  }
  return found;
}

/** `url` without its `#fragment`: two links to parts of one page are one page to fetch. */
export function removeFragment(url: string): string {
  const at = url.indexOf('#');
  return at === -1 ? url : url.slice(0, at);
}

/**
 * The absolute, fragment-free URLs `html` (the page at `pageUrl`) links to. Links that are not
 * URLs (`javascript:`, a malformed `http://[`) are left out.
 */
export function linksFromPage(pageUrl: string, html: string): string[] {
  const urls: string[] = [];
  for (const href of getLinks(html)) {
    let absolute: URL;
    try {
      absolute = new URL(href, pageUrl);
    } catch {
      continue;
    }
    if (absolute.protocol !== 'http:' && absolute.protocol !== 'https:') continue;
    urls.push(removeFragment(absolute.href));
  }
  return urls;
}
