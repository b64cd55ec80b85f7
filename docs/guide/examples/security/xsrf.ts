import { Application, RequestHandler } from '@tronada/web';

export const messages: string[] = [];

// With xsrfCookies, every POST, PUT, PATCH and DELETE must carry the token of the _xsrf
// cookie: in the _xsrf form field (xsrfFormHtml() writes it) or an X-XSRFToken header.
class MessageHandler extends RequestHandler {
  override get() {
    this.write(
      `<form action="/message" method="post">${this.xsrfFormHtml()}` +
        `<input type="text" name="message"><input type="submit" value="Post"></form>`,
    );
  }

  override post() {
    messages.push(this.getArgument('message'));
    this.write('posted');
  }
}

export function makeApp(cookieSecret: string): Application {
  return new Application([['/message', MessageHandler]], { cookieSecret, xsrfCookies: true });
}
