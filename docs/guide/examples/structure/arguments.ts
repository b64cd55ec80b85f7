import { Application, RequestHandler } from '@tronada/web';

export class MyFormHandler extends RequestHandler {
  override get() {
    this.write(
      '<html><body><form action="/myform" method="POST">' +
        '<input type="text" name="message">' +
        '<input type="submit" value="Submit">' +
        '</form></body></html>',
    );
  }

  override post() {
    this.setHeader('Content-Type', 'text/plain');
    // A missing argument without a default is a 400 (MissingArgumentError).
    this.write(`You wrote ${this.getArgument('message')}`);
  }
}

export class JsonHandler extends RequestHandler {
  override post() {
    const { name } = this.getJsonBody<{ name: string }>();
    this.write({ greeting: `hello, ${name}` });
  }
}

export function makeApp(): Application {
  return new Application([
    ['/myform', MyFormHandler],
    ['/api/greet', JsonHandler],
  ]);
}
