import { Application, RequestHandler } from '@tronada/web';

// Plain cookies: the client can read and change them.
class VisitsHandler extends RequestHandler {
  override get() {
    const visits = Number(this.getCookie('visits', '0')) + 1;
    this.setCookie('visits', String(visits), { httponly: true, samesite: 'Lax' });
    this.write(`visit number ${visits}`);
  }
}

// Signed cookies: the client can read them but not forge them (HMAC with cookieSecret).
class SignedVisitsHandler extends RequestHandler {
  override get() {
    const stored = this.getSignedCookie('signed_visits');
    const visits = (stored === null ? 0 : Number(stored.toString())) + 1;
    this.setSignedCookie('signed_visits', String(visits));
    this.write(`signed visit number ${visits}`);
  }
}

export function makeApp(cookieSecret: string): Application {
  return new Application(
    [
      ['/visits', VisitsHandler],
      ['/signed-visits', SignedVisitsHandler],
    ],
    { cookieSecret },
  );
}
