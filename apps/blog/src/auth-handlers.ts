/**
 * Signing in and out. Authors are local (name + scrypt-hashed password in the database); a
 * signed cookie remembers who is signed in. The first author of an empty blog signs up at
 * `/auth/create`, which is closed once an author exists (or use `--create-user`).
 */
import { HTTPError } from '@tronada/web';
import { AUTHOR_COOKIE, BaseHandler } from './base-handler.js';

/** A `next` that stays on this site (a path, not `//host` or `scheme:`), else `/`. */
export function localNext(next: string): string {
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/** `GET/POST /auth/login`: the sign-in form and its check. */
export class LoginHandler extends BaseHandler {
  override async get(): Promise<void> {
    if ((await this.db.info()).authors === 0) {
      this.redirect('/auth/create');
      return;
    }
    await this.render('login.html', {
      next: localNext(this.getArgument('next', '/')),
      error: null,
    });
  }

  override async post(): Promise<void> {
    const name = this.getArgument('name', '', { strip: true });
    const password = this.getArgument('password', '');
    const next = localNext(this.getArgument('next', '/'));
    const author = await this.db.checkPassword(name, password);
    if (author === null) {
      this.setStatus(403);
      await this.render('login.html', {
        next,
        error: this.locale.translate('Wrong name or password.'),
      });
      return;
    }
    this.signIn(author);
    this.redirect(next);
  }
}

/** `POST /auth/logout`: forgets the signed-in author. */
export class LogoutHandler extends BaseHandler {
  override post(): void {
    this.clearCookie(AUTHOR_COOKIE);
    this.redirect('/');
  }
}

/** `GET/POST /auth/create`: the first author's sign-up; 403 once the blog has an author. */
export class CreateAuthorHandler extends BaseHandler {
  override async prepare(): Promise<void> {
    super.prepare();
    if ((await this.db.info()).authors > 0) {
      throw new HTTPError(403, 'the blog has an author: sign in, or use --create-user');
    }
  }

  override async get(): Promise<void> {
    await this.render('create-author.html', { error: null });
  }

  override async post(): Promise<void> {
    const name = this.getArgument('name', '', { strip: true });
    const password = this.getArgument('password', '');
    if (name === '' || password.length < 8) {
      this.setStatus(400);
      await this.render('create-author.html', {
        error: this.locale.translate('Pick a name and a password of at least 8 characters.'),
      });
      return;
    }
    this.signIn(await this.db.createAuthor(name, password));
    this.redirect('/compose');
  }
}
