import { DictLoader } from '@tronada/template';
import { Application, RequestHandler } from '@tronada/web';

// In an application, templates usually live in files: `templatePath: 'templates'`.
// A DictLoader keeps this example in one file.
const templates = new DictLoader({
  'template.html': `<html>
<head><title>{{ title }}</title></head>
<body>
<ul>
{% for item in items %}<li>{{ item }}</li>
{% end %}</ul>
<p>{% raw trusted %} {{ untrusted }}</p>
<p>{{ shout(title) }}, served by {{ handler.constructor.name }} for {{ request.path }}</p>
</body>
</html>`,
});

class MainHandler extends RequestHandler {
  override get() {
    const items = ['Item 1', 'Item 2', 'Item <3>'];
    return this.render('template.html', {
      title: 'My title',
      items,
      trusted: '<b>bold</b>', // {% raw %}: written as is
      untrusted: '<b>bold</b>', // {{ }}: escaped
    });
  }
}

export function makeApp(): Application {
  return new Application([['/', MainHandler]], {
    templateLoader: templates,
    // UI methods are called with the handler first: {{ shout(x) }} runs shout(handler, x).
    uiMethods: { shout: (_handler: RequestHandler, text: string) => text.toUpperCase() },
  });
}
