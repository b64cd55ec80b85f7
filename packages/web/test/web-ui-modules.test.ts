/**
 * UI modules (issue #8): web_test.py's UI module tests, plus the injection order, the
 * de-duplication of resource files, the overridable render hooks and the module namespace.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appLog } from '@tronada/ioloop';
import { DictLoader } from '@tronada/template';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, RequestHandler, TemplateModule, UIModule } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
const hooks = { beforeEach, afterEach };

// Static files for the relative resource paths (staticUrl hashes them).
const staticDir = mkdtempSync(join(tmpdir(), 'tronada-ui-modules-'));
for (const name of ['b.js', 'c.js', 'site.css']) writeFileSync(join(staticDir, name), name);
afterAll(() => rmSync(staticDir, { recursive: true, force: true }));

describe('WSGISafeWebTest (UI modules)', () => {
  class LinkifyHandler extends RequestHandler {
    override get(): void {
      void this.render('linkify.html', { message: 'http://example.com' });
    }
  }
  class UIModuleResourceHandler extends RequestHandler {
    override get(): void {
      void this.render('page.html', { entries: [1, 2] });
    }
  }
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application(
        [
          ['/linkify', LinkifyHandler],
          ['/uimodule_resources', UIModuleResourceHandler],
        ],
        {
          templateLoader: new DictLoader({
            'linkify.html': '{% module linkify(message) %}',
            'page.html': `<html><head></head><body>
{% for e in entries %}
{% module Template("entry.html", { entry: e }) %}
{% end %}
</body></html>`,
            'entry.html': `{{ setResources({ embeddedCss: ".entry { margin-bottom: 1em; }",
                 embeddedJavascript: "js_embed()",
                 cssFiles: ["/base.css", "/foo.css"],
                 javascriptFiles: "/common.js",
                 htmlHead: "<meta>",
                 htmlBody: '<script src="/analytics.js"/>' }) }}
<div class="entry">...</div>`,
          }),
          cookieSecret: 'WebTest.COOKIE_SECRET',
        },
      ),
  );

  it('outputs a module unescaped (test_uimodule_unescaped)', async () => {
    const response = await server.current.fetch('/linkify');
    expect(response.text).toBe('<a href="http://example.com">http://example.com</a>');
  });

  it('inserts the resources of Template modules into head and body once (test_uimodule_resources)', async () => {
    const response = await server.current.fetch('/uimodule_resources');
    expect(response.code).toBe(200);
    expect(
      response.text,
    ).toBe(`<html><head><link href="/base.css" type="text/css" rel="stylesheet"/><link href="/foo.css" type="text/css" rel="stylesheet"/>
<style type="text/css">
.entry { margin-bottom: 1em; }
</style>
<meta>
</head><body>


<div class="entry">...</div>


<div class="entry">...</div>

<script src="/common.js" type="text/javascript"></script>
<script type="text/javascript">
//<![CDATA[
js_embed()
//]]>
</script>
<script src="/analytics.js"/>
</body></html>`);
  });
});

describe('UIMethodUIModuleTest', () => {
  class Handler extends RequestHandler {
    override get(): void {
      void this.render('foo.html');
    }
    value(): string {
      return this.getArgument('value');
    }
  }
  class MyModule extends UIModule {
    override render(x: number): string {
      return `In MyModule(${x}) with handler value ${(this.handler as Handler).value()}.`;
    }
  }
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application([['/', Handler]], {
        templateLoader: new DictLoader({
          'foo.html': '{{ my_ui_method(42) }} {% module MyModule(123) %}',
        }),
        uiMethods: {
          my_ui_method: (handler: Handler, x: number) =>
            `In my_ui_method(${x}) with handler value ${handler.value()}.`,
        },
        uiModules: { MyModule },
      }),
  );

  it('gives UI methods and UI modules the handler of the request (test_ui_method)', async () => {
    const response = await server.current.fetch('/?value=asdf');
    expect(response.text).toBe(
      'In my_ui_method(42) with handler value asdf. In MyModule(123) with handler value asdf.',
    );
  });
});

describe('GetCurrentUserTest (UI modules)', () => {
  class WithoutUserModule extends UIModule {
    override render(): string {
      return '';
    }
  }
  class WithUserModule extends UIModule {
    override render(): string {
      return String(this.currentUser);
    }
  }
  class CurrentUserModuleHandler extends RequestHandler {
    hasLoadedCurrentUser = false;
    override getCurrentUser(): unknown {
      this.hasLoadedCurrentUser = true;
      return '';
    }
    // Only the UI names, so the template namespace itself cannot read currentUser.
    override getTemplateNamespace(): Record<string, unknown> {
      return this.ui;
    }
  }
  class WithoutUserModuleHandler extends CurrentUserModuleHandler {
    override get(): void {
      this.renderString('without_user_module.html');
      void this.finish(String(this.hasLoadedCurrentUser));
    }
  }
  class WithUserModuleHandler extends CurrentUserModuleHandler {
    override get(): void {
      this.renderString('with_user_module.html');
      void this.finish(String(this.hasLoadedCurrentUser));
    }
  }
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application(
        [
          ['/without_user_module', WithoutUserModuleHandler],
          ['/with_user_module', WithUserModuleHandler],
        ],
        {
          templateLoader: new DictLoader({
            'without_user_module.html': '{% module WithoutUserModule() %}',
            'with_user_module.html': '{% module WithUserModule() %}',
          }),
          uiModules: { WithUserModule, WithoutUserModule },
        },
      ),
  );

  it('does not call getCurrentUser for a module that does not read it (test_get_current_user_from_ui_module_is_lazy)', async () => {
    expect((await server.current.fetch('/without_user_module')).text).toBe('false');
  });

  it('calls getCurrentUser when a module reads currentUser (test_get_current_user_from_ui_module_works)', async () => {
    expect((await server.current.fetch('/with_user_module')).text).toBe('true');
  });
});

describe('resource injection (beyond Tornado tests)', () => {
  class Scripts extends UIModule {
    override render(name: string): string {
      return `[${name}]`;
    }
    override javascriptFiles(): string[] {
      return ['b.js', '/abs/a.js', 'https://cdn.example/x.js', 'b.js'];
    }
    override cssFiles(): string {
      return 'site.css';
    }
    override embeddedJavascript(): string {
      return 'one()';
    }
    override embeddedCss(): string {
      return 'p { color: red }';
    }
    override htmlHead(): string {
      return '<meta name="a">';
    }
    override htmlBody(): string {
      return '<i>a</i>';
    }
  }
  class More extends UIModule {
    calls = 0;
    override render(): string {
      this.calls += 1;
      return `(${this.calls})`;
    }
    override javascriptFiles(): string[] {
      return ['/abs/a.js', 'c.js'];
    }
    override cssFiles(): string[] {
      return ['site.css', '/print.css'];
    }
    override embeddedJavascript(): string {
      return 'two()';
    }
    override embeddedCss(): string {
      return '';
    }
    override htmlHead(): string {
      return '<meta name="b">';
    }
    override htmlBody(): string {
      return '<i>b</i>';
    }
  }
  class Empty extends UIModule {
    override render(): string {
      return 'empty';
    }
  }
  class PageHandler extends RequestHandler {
    override get(): void {
      void this.render(this.getArgument('page', 'page.html'));
    }
  }
  class CustomHandler extends PageHandler {
    override renderLinkedJs(jsFiles: readonly string[]): string {
      return `<!-- js: ${jsFiles.join(' ')} -->`;
    }
    override renderEmbedJs(jsEmbed: readonly string[]): string {
      return `<!-- embed js: ${jsEmbed.join(' ')} -->`;
    }
    override renderLinkedCss(cssFiles: readonly string[]): string {
      return `<!-- css: ${cssFiles.join(' ')} -->`;
    }
    override renderEmbedCss(cssEmbed: readonly string[]): string {
      return `<!-- embed css: ${cssEmbed.join(' ')} -->`;
    }
  }
  class StringHandler extends RequestHandler {
    override get(): void {
      const html = this.renderString('page.html');
      void this.finish(html);
    }
  }
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application(
        [
          ['/', PageHandler],
          ['/custom', CustomHandler],
          ['/string', StringHandler],
        ],
        {
          templateLoader: new DictLoader({
            'page.html':
              '<head><title>t</title></head><body>{% module More() %}{% module Scripts("x") %}{% module More() %}{% raw modules.Empty() %}</body>',
            'fragment.html': '{% module Scripts("x") %}',
            'empty-only.html': '{% module Empty() %}',
            'no-head.html': '<body>{% module Scripts("x") %}</body>',
          }),
          staticPath: staticDir,
          staticUrlPrefix: '/s/',
          uiModules: [
            { Scripts, Empty },
            { More, helper: () => '' },
          ],
        },
      ),
  );

  it('injects files deduplicated in first-use order, embedded parts in module order', async () => {
    const response = await server.current.fetch('/');
    expect(response.code).toBe(200);
    const text = response.text;
    expect(text).toContain('<body>(1)[x](2)empty');
    // More was used first, so its files and parts come first; b.js and c.js are relative.
    const scripts = [...text.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual([
      '/abs/a.js',
      expect.stringMatching(/^\/s\/c\.js\?v=[0-9a-f]+$/),
      expect.stringMatching(/^\/s\/b\.js\?v=[0-9a-f]+$/),
      'https://cdn.example/x.js',
    ]);
    const styles = [...text.matchAll(/<link href="([^"]+)"/g)].map((m) => m[1]);
    expect(styles).toEqual([expect.stringMatching(/^\/s\/site\.css\?v=[0-9a-f]+$/), '/print.css']);
    expect(text).toContain(
      '<script type="text/javascript">\n//<![CDATA[\ntwo()\none()\n//]]>\n</script>\n<i>b</i><i>a</i>\n</body>',
    );
    expect(text).toContain(
      '<style type="text/css">\np { color: red }\n</style>\n<meta name="b"><meta name="a">\n</head>',
    );
    // Links first, then embedded CSS, then head HTML, all before </head>.
    expect(text.indexOf('rel="stylesheet"')).toBeLessThan(text.indexOf('<style'));
    expect(text.indexOf('</script>\n<script type="text/javascript">')).toBeGreaterThan(0);
  });

  it('routes resources through the overridable renderLinkedJs, renderEmbedJs, renderLinkedCss and renderEmbedCss', async () => {
    const response = await server.current.fetch('/custom');
    expect(response.text).toBe(
      '<head><title>t</title><!-- css: site.css /print.css site.css -->\n<!-- embed css: p { color: red } -->\n<meta name="b"><meta name="a">\n</head>' +
        '<body>(1)[x](2)empty<!-- js: /abs/a.js c.js b.js /abs/a.js https://cdn.example/x.js b.js -->\n<!-- embed js: two() one() -->\n<i>b</i><i>a</i>\n</body>',
    );
  });

  it('leaves a page alone when its modules ask for nothing', async () => {
    const response = await server.current.fetch('/?page=empty-only.html');
    expect(response.text).toBe('empty');
  });

  it('answers 500 when the page lacks the </head> a resource must go before', async () => {
    await expectLog(appLog, /Uncaught exception/, async () => {
      const response = await server.current.fetch('/?page=no-head.html');
      expect(response.code).toBe(500);
    });
  });

  it('does not inject resources into renderString output', async () => {
    const response = await server.current.fetch('/string');
    expect(response.text).toBe('<head><title>t</title></head><body>(1)[x](2)empty</body>');
  });
});

describe('the UI module namespace (beyond Tornado tests)', () => {
  class Counter extends UIModule {
    count = 0;
    override render(): string {
      this.count += 1;
      return String(this.count);
    }
  }
  class Handler extends RequestHandler {
    override get(): void {
      const keys = Object.keys(this.ui._tt_modules as object).sort();
      void this.finish(
        `${keys.join(',')}|${this.ui.modules === this.ui._tt_modules}|${this.renderString('t.html')}`,
      );
    }
  }
  class XsrfHandler extends RequestHandler {
    override get(): void {
      void this.finish(this.renderString('xsrf.html'));
    }
  }
  class TwiceHandler extends RequestHandler {
    override get(): void {
      void this.render('twice.html');
    }
  }
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application(
        [
          ['/', Handler],
          ['/xsrf', XsrfHandler],
          ['/twice', TwiceHandler],
        ],
        {
          templateLoader: new DictLoader({
            't.html': '{% module Counter() %}{% module Counter() %}{{ modules.Counter() }}',
            'xsrf.html': '{% module xsrf_form_html() %}',
            'twice.html':
              '<head></head><body>{% module Template("a.html", { n: 1 }) %}{% module Template("a.html", { n: 2 }) %}</body>',
            'a.html': '{{ setResources({ css_files: "/a.css" }) }}{{ n }}',
          }),
          cookieSecret: 'secret',
          uiModules: { Counter, NotAModule: class {}, UIModule },
        },
      ),
  );

  it('holds the built-in modules and the registered subclasses, one instance per request', async () => {
    const text = (await server.current.fetch('/')).text;
    expect(text).toBe('Counter,Template,linkify,xsrfFormHtml,xsrf_form_html|true|123');
    // A new request gets a new instance.
    expect((await server.current.fetch('/')).text).toMatch(/\|123$/);
  });

  it('renders the XSRF form field through the xsrf_form_html module', async () => {
    const text = (await server.current.fetch('/xsrf')).text;
    expect(text).toMatch(/^<input type="hidden" name="_xsrf" value="[^"]+"\/>$/);
  });

  it('counts Template resources once per template file, with snake_case keys accepted', async () => {
    const text = (await server.current.fetch('/twice')).text;
    expect(text).toBe(
      '<head><link href="/a.css" type="text/css" rel="stylesheet"/>\n</head><body>12</body>',
    );
  });
});

describe('TemplateModule (beyond Tornado tests)', () => {
  class Handler extends RequestHandler {
    override get(): void {
      void this.render(this.getArgument('page'));
    }
  }
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application([['/', Handler]], {
        templateLoader: new DictLoader({
          'changing.html':
            '<head></head><body>{% for n in [1, 2] %}{% module Template("r.html", { n }) %}{% end %}</body>',
          'r.html': '{{ setResources({ embeddedCss: "p" + n }) }}',
          'unknown.html': '<head></head><body>{% module Template("bad.html") %}</body>',
          'bad.html': '{{ setResources({ scripts: "x" }) }}',
          'own.html': '{% set secret = 1 %}{% module Template("peek.html", { shown: 2 }) %}',
          'peek.html': '{{ typeof secret }} {{ shown }} {{ typeof handler }}',
        }),
      }),
  );

  it('refuses different resources for the same template file', async () => {
    await expectLog(appLog, /Uncaught exception/, async () => {
      expect((await server.current.fetch('/?page=changing.html')).code).toBe(500);
    });
  });

  it('refuses resource names it does not know', async () => {
    await expectLog(appLog, /Uncaught exception/, async () => {
      expect((await server.current.fetch('/?page=unknown.html')).code).toBe(500);
    });
  });

  it("renders with its own namespace, not the caller's variables", async () => {
    expect((await server.current.fetch('/?page=own.html')).text).toBe('undefined 2 object');
  });

  it('is exported for subclassing', () => {
    expect(Object.getPrototypeOf(TemplateModule.prototype)).toBe(UIModule.prototype);
  });
});
