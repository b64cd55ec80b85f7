import { Application, HTTPError, RequestHandler, url } from '@tronada/web';

export interface Story {
  readonly id: string;
  readonly title: string;
}

export class Database {
  readonly #stories = new Map<string, Story>();

  add(story: Story): void {
    this.#stories.set(story.id, story);
  }

  find(id: string): Story | undefined {
    return this.#stories.get(id);
  }
}

class StoryHandler extends RequestHandler {
  db!: Database;

  // initialize() receives the third element of the rule: per-application resources.
  override initialize(kwargs: { db: Database }) {
    this.db = kwargs.db;
  }

  override get(storyId: string) {
    const story = this.db.find(storyId);
    if (story === undefined) throw new HTTPError(404, `no story ${storyId}`);
    this.write({ title: story.title, link: this.reverseUrl('story', story.id) });
  }
}

export function makeApp(db: Database): Application {
  // url(pattern, handler, initArgs, name): the name lets reverseUrl() rebuild the path.
  return new Application([url('/story/([0-9]+)', StoryHandler, { db }, 'story')]);
}
