import { useTestLoop } from '@tronada/testing';
import { localeRegistry } from '@tronada/web';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as handlerRender from '../guide/examples/templates/handler-render.js';
import * as locale from '../guide/examples/templates/locale.js';
import { hello, itemList } from '../guide/examples/templates/standalone.js';
import * as uiModule from '../guide/examples/templates/ui-module.js';

const hooks = { beforeEach, afterEach };
useTestLoop(hooks, { clock: false });

describe('templates/standalone.ts', () => {
  it('escapes values and fills the parent template blocks', () => {
    expect(hello('<Ben>')).toBe('<p>Hello &lt;Ben&gt;!</p>');
    expect(itemList('Fruit', ['apple', 'b&b'])).toBe(
      '<html><head><title>Fruit</title></head>' +
        '<body><ul><li>apple</li><li>b&amp;b</li></ul></body></html>',
    );
  });
});

describe('templates/handler-render.ts', () => {
  const server = useAsyncHTTPTestCase(hooks, handlerRender.makeApp);

  it('renders the template with raw and escaped output and a UI method', async () => {
    const page = (await server.current.fetch('/')).text;
    expect(page).toContain('<title>My title</title>');
    expect(page).toContain('<li>Item &lt;3&gt;</li>');
    expect(page).toContain('<p><b>bold</b> &lt;b&gt;bold&lt;/b&gt;</p>');
    expect(page).toContain('<p>MY TITLE, served by MainHandler for /</p>');
  });
});

describe('templates/ui-module.ts', () => {
  const server = useAsyncHTTPTestCase(hooks, uiModule.makeApp);

  it('renders each entry through the module and adds its resources once', async () => {
    const page = (await server.current.fetch('/')).text;
    expect(page.match(/class="entry"/g)).toHaveLength(2);
    expect(page).toContain('&lt;script&gt;not run&lt;/script&gt;');
    expect(page.match(/\.entry \{ margin: 1em 0 \}/g)).toHaveLength(1);
    expect(page).toContain('<script src="/js/entry.js" type="text/javascript"></script>');
    expect(page.indexOf('<style')).toBeLessThan(page.indexOf('</head>'));
  });
});

describe('templates/locale.ts', () => {
  beforeEach(() => locale.loadAppTranslations());
  afterEach(() => localeRegistry.reset());
  const server = useAsyncHTTPTestCase(hooks, locale.makeApp);

  it('translates into the browser language, with plural forms', async () => {
    const headers = { 'Accept-Language': 'es-ES,es;q=0.9,en;q=0.5' };
    const one = (await server.current.fetch('/?count=1', { headers })).text;
    expect(one).toBe('<h1>Bienvenido</h1><p>1 mensaje nuevo</p><p>es_ES</p>');
    const three = (await server.current.fetch('/?count=3', { headers })).text;
    expect(three).toContain('<p>3 mensajes nuevos</p>');
  });

  it('falls back to English, and lets a cookie choose', async () => {
    expect((await server.current.fetch('/?count=2')).text).toBe(
      '<h1>Welcome</h1><p>2 new messages</p><p>en_US</p>',
    );
    const chosen = await server.current.fetch('/', { headers: { Cookie: 'lang=es_ES' } });
    expect(chosen.text).toContain('Bienvenido');
  });
});
