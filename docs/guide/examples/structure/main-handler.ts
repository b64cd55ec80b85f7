import { Application, RequestHandler } from '@tronada/web';

class MainHandler extends RequestHandler {
  override get() {
    this.write('<a href="/story/1">a story</a>');
  }
}

class StoryHandler extends RequestHandler {
  // Each capturing group of the pattern arrives as a positional string argument.
  override get(storyId: string) {
    this.write(`this is story ${storyId}`);
  }
}

export function makeApp(): Application {
  return new Application([
    ['/', MainHandler],
    ['/story/([0-9]+)', StoryHandler],
  ]);
}
