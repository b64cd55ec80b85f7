import { DictLoader } from '@tronada/template';
import { Application, RequestHandler, UIModule } from '@tronada/web';

export interface Entry {
  readonly title: string;
  readonly body: string;
}

// A reusable piece of a page, with the CSS and JavaScript it needs.
class EntryModule extends UIModule {
  override render(entry: Entry, options: { showComments?: boolean } = {}): string {
    return this.renderString('modules/entry.html', { entry, showComments: !!options.showComments });
  }

  override embeddedCss() {
    return '.entry { margin: 1em 0 }';
  }

  override javascriptFiles() {
    return '/js/entry.js';
  }
}

const templates = new DictLoader({
  'home.html':
    '<html><head><title>Blog</title></head><body>' +
    '{% for entry in entries %}{% module Entry(entry, { showComments: true }) %}{% end %}' +
    '</body></html>',
  'modules/entry.html':
    '<div class="entry"><h1>{{ entry.title }}</h1>{{ entry.body }}' +
    '{% if showComments %}<a href="#comments">comments</a>{% end %}</div>',
});

class HomeHandler extends RequestHandler {
  override get() {
    const entries: Entry[] = [
      { title: 'First', body: 'Hello' },
      { title: 'Second', body: '<script>not run</script>' },
    ];
    return this.render('home.html', { entries });
  }
}

export function makeApp(): Application {
  return new Application([['/', HomeHandler]], {
    templateLoader: templates,
    uiModules: { Entry: EntryModule },
  });
}
