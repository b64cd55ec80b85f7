/**
 * The reading and writing pages: home (recent entries), one entry, the archive, and the
 * compose form (signed-in authors only) that creates or edits an entry.
 */
import { authenticated, HTTPError } from '@tronada/web';
import { BaseHandler } from './base-handler.js';
import type { Entry } from './records.js';
import { textToHtml } from './text-to-html.js';

/** How many entries the home page shows. */
export const HOME_ENTRIES = 5;

/** `GET /`: the newest entries. */
export class HomeHandler extends BaseHandler {
  override async get(): Promise<void> {
    const entries = await this.db.recentEntries(HOME_ENTRIES);
    await this.render('home.html', { entries });
  }
}

/** `GET /entry/<slug>`: one entry; 404 when there is none by that name. */
export class EntryHandler extends BaseHandler {
  override async get(slug: string): Promise<void> {
    const entry = await this.db.entryBySlug(slug);
    if (entry === null) throw new HTTPError(404, `no entry named ${slug}`);
    await this.render('entry.html', { entry });
  }
}

/** `GET /archive`: every entry's title and date. */
export class ArchiveHandler extends BaseHandler {
  override async get(): Promise<void> {
    const entries = await this.db.archive();
    await this.render('archive.html', { entries });
  }
}

type ComposeMethod = (this: ComposeHandler) => unknown;

/**
 * `GET /compose[?id=N]` shows the form (empty, or the entry to edit); `POST /compose` saves it
 * and redirects to the entry. Both need a signed-in author; the form carries the XSRF token.
 */
export class ComposeHandler extends BaseHandler {
  override get: ComposeMethod = authenticated(async function (this: ComposeHandler) {
    const id = this.getArgument('id', null);
    const entry = id === null ? null : await this.#entry(id);
    await this.render('compose.html', {
      entry,
      title: entry?.title ?? '',
      text: entry?.text ?? '',
      error: null,
    });
  });

  override post: ComposeMethod = authenticated(async function (this: ComposeHandler) {
    const id = this.getArgument('id', null);
    const title = this.getArgument('title', '', { strip: true });
    const text = this.getArgument('text', '', { strip: true });
    const entry = id === null ? null : await this.#entry(id);
    if (title === '' || text === '') {
      this.setStatus(400);
      await this.render('compose.html', {
        entry,
        title,
        text,
        error: this.locale.translate('An entry needs a title and some text.'),
      });
      return;
    }
    const saved =
      entry === null
        ? await this.db.createEntry(this.author!.id, title, text, textToHtml(text))
        : await this.db.updateEntry(entry.id, title, text, textToHtml(text));
    if (saved === null) throw new HTTPError(404, 'the entry was deleted while being edited');
    this.redirect(`/entry/${encodeURIComponent(saved.slug)}`);
  });

  async #entry(id: string): Promise<Entry> {
    const entry = /^[0-9]+$/.test(id) ? await this.db.entryById(Number(id)) : null;
    if (entry === null) throw new HTTPError(404, `no entry with id ${id}`);
    return entry;
  }
}
