import { Application, authenticated, RequestHandler } from '@tronada/web';

// The user is whoever the signed "user" cookie names; getCurrentUser may also be async.
class BaseHandler extends RequestHandler {
  override getCurrentUser() {
    return this.getSignedCookie('user')?.toString() ?? null;
  }
}

class MainHandler extends BaseHandler {
  // authenticated(): anonymous GETs go to loginUrl?next=..., other methods get 403.
  override get: (this: MainHandler) => unknown = authenticated(function (this: MainHandler) {
    this.write(`Hello, ${String(this.currentUser)}`);
  });
}

class LoginHandler extends BaseHandler {
  override get() {
    const next = this.getArgument('next', '/');
    this.write(
      `<form action="/login?next=${encodeURIComponent(next)}" method="post">` +
        `Name: <input type="text" name="name"><input type="submit" value="Sign in"></form>`,
    );
  }

  override post() {
    this.setSignedCookie('user', this.getArgument('name'));
    this.redirect(this.getArgument('next', '/'));
  }
}

class LogoutHandler extends BaseHandler {
  override get() {
    this.clearCookie('user');
    this.redirect('/');
  }
}

export function makeApp(cookieSecret: string): Application {
  return new Application(
    [
      ['/', MainHandler],
      ['/login', LoginHandler],
      ['/logout', LogoutHandler],
    ],
    { cookieSecret, loginUrl: '/login' },
  );
}
