/**
 * The `Entry` UI module: one entry as an article, with its own styles and a small script that
 * counts the entry's words. Pages that show entries write `{% module Entry(entry) %}`; the
 * styles and the script go into the page once, however many entries it shows.
 */
import { interpolate, UIModule } from '@tronada/web';
import type { Entry } from './records.js';

/** Options of one `{% module Entry(entry, options) %}` call. */
export interface EntryModuleOptions {
  /** Link the title to the entry's own page (on lists, not on the entry page). */
  readonly linkTitle?: boolean;
}

/** Renders an entry with `modules/entry.html`. */
export class EntryModule extends UIModule {
  override render(entry: Entry, options: EntryModuleOptions = {}): string {
    const { locale } = this;
    return this.renderString('modules/entry.html', {
      entry,
      byline: interpolate(locale.translate('By %(author)s on %(date)s'), {
        author: entry.authorName,
        date: locale.formatDate(entry.published, { fullFormat: true, shorter: true }),
      }),
      linkTitle: options.linkTitle ?? true,
    });
  }

  override embeddedCss(): string {
    return [
      '.entry { border-left: 4px solid rgb(21, 101, 192); padding: 0 0 0 1em; margin: 0 0 2.5em; }',
      '.entry h2 { margin: 0 0 .2em; }',
      '.entry .entry-meta { color: rgb(96, 96, 96); font-size: .9em; margin: 0 0 1em; }',
      '.entry .entry-words { color: rgb(21, 101, 192); font-size: .85em; }',
    ].join('\n');
  }

  override embeddedJavascript(): string {
    // Fills each entry's word count; the label comes translated in a data attribute.
    return `document.querySelectorAll('.entry').forEach(function (entry) {
  var body = entry.querySelector('.entry-body');
  var out = entry.querySelector('.entry-words');
  if (!body || !out) return;
  var words = (body.textContent || '').split(/\\s+/).filter(Boolean).length;
  out.textContent = words + ' ' + out.getAttribute('data-label');
  out.hidden = false;
});`;
  }
}
