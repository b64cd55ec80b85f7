/**
 * Entry URL names made from titles, as Tornado's blog demo makes them: lower case ASCII
 * words joined by dashes.
 */

/** `"Déjà vu, again!"` → `"deja-vu-again"`; a title with no letters or digits → `"entry"`. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents, split off by NFKD
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
  return slug === '' ? 'entry' : slug;
}
