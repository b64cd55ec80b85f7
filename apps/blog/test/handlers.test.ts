import { genLog } from '@tronada/ioloop';
import { expectLog } from '@tronada/testing';
import { describe, expect, it } from 'vitest';
import { ADA, setCookies, useBlog, XSRF } from './blog-fixture.js';

const blog = useBlog();

describe('reading pages', () => {
  it('the home page says there are no entries yet, in a page built on base.html', async () => {
    const response = await blog.server.fetch('/');
    expect(response.code).toBe(200);
    expect(response.text).toContain('<title>Tronada Blog</title>');
    expect(response.text).toContain('No entries yet.');
    expect(response.text).toContain('id="footer"');
  });

  it('the home page shows the newest entries first, each through the Entry UI module', async () => {
    const author = await blog.db.createAuthor('ada', 'password!');
    await blog.db.createEntry(author.id, 'First post', 'one', '<p>one</p>');
    await blog.db.createEntry(author.id, 'Second post', 'two', '<p>two</p>');
    const page = (await blog.server.fetch('/')).text;
    expect(page.indexOf('Second post')).toBeGreaterThan(0);
    expect(page.indexOf('Second post')).toBeLessThan(page.indexOf('First post'));
    expect(page.match(/<article class="entry"/g)).toHaveLength(2);
    expect(page).toContain('By ada on ');
    // The module's CSS and script appear once, however many entries use it.
    expect(page.match(/<style type="text\/css">/g)).toHaveLength(1);
    expect(page.match(/\.entry \{ border-left: 4px solid rgb\(21, 101, 192\)/g)).toHaveLength(1);
    expect(page.match(/querySelectorAll\('\.entry'\)/g)).toHaveLength(1);
    expect(page.indexOf('<style')).toBeLessThan(page.indexOf('</head>'));
    expect(page.lastIndexOf('.entry-words')).toBeLessThan(page.lastIndexOf('</body>'));
  });

  it('an entry has its own page, and the archive links to it', async () => {
    const author = await blog.db.createAuthor('ada', 'password!');
    const entry = await blog.db.createEntry(author.id, 'Hello <world>', 'hi', '<p>hi</p>');
    const page = await blog.server.fetch(`/entry/${entry.slug}`);
    expect(page.code).toBe(200);
    expect(page.text).toContain('<title>Hello &lt;world&gt; · Tronada Blog</title>');
    expect(page.text).toContain('<div class="entry-body"><p>hi</p></div>');
    const archive = await blog.server.fetch('/archive');
    expect(archive.text).toContain(`<a href="/entry/hello-world">Hello &lt;world&gt;</a>`);
  });

  it('a missing entry is a 404', async () => {
    await expectLog(
      genLog,
      /404 GET \/entry\/no-such-entry .*no entry named no-such-entry/,
      async () => {
        expect((await blog.server.fetch('/entry/no-such-entry')).code).toBe(404);
      },
    );
  });

  it('static files have versioned URLs that the static handler serves for long caching', async () => {
    const page = (await blog.server.fetch('/')).text;
    const css = /href="(\/static\/blog\.css\?v=[0-9a-f]+)"/.exec(page)?.[1];
    const js = /src="(\/static\/blog\.js\?v=[0-9a-f]+)"/.exec(page)?.[1];
    expect(css).toBeDefined();
    expect(js).toBeDefined();
    const response = await blog.server.fetch(css!);
    expect(response.code).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/css/);
    expect(response.headers.get('Cache-Control')).toBe('max-age=315360000');
    expect((await blog.server.fetch(js!)).text).toContain('aria-current');
  });
});

describe('signing in and out', () => {
  it('compose needs a signed-in author: GET redirects to the login page, POST is refused', async () => {
    const get = await blog.server.fetch('/compose', { followRedirects: false });
    expect(get.code).toBe(302);
    expect(get.headers.get('Location')).toBe('/auth/login?next=%2Fcompose');
    expect((await blog.post('/compose', { title: 'x', text: 'y' })).code).toBe(403);
    expect((await blog.db.info()).entries).toBe(0);
  });

  it('a wrong password is refused with a message and no cookie', async () => {
    await blog.db.createAuthor(ADA.name, ADA.password);
    const response = await blog.post('/auth/login', { name: ADA.name, password: 'wrong one' });
    expect(response.code).toBe(403);
    expect(response.text).toContain('Wrong name or password.');
    expect(setCookies(response).blog_author).toBeUndefined();
  });

  it('the right password sets a signed cookie and goes back to the page asked for', async () => {
    await blog.db.createAuthor(ADA.name, ADA.password);
    const response = await blog.post('/auth/login', { ...ADA, next: '/archive' });
    expect(response.code).toBe(302);
    expect(response.headers.get('Location')).toBe('/archive');
    const cookie = setCookies(response).blog_author!;
    expect(cookie).toMatch(/^"2\|/); // Tornado's v2 signed value
    const home = await blog.server.fetch('/', { headers: { Cookie: `blog_author=${cookie}` } });
    expect(home.text).toContain('<span class="author-name">ada</span>');
    // A tampered cookie signs nobody in.
    const forged = await blog.server.fetch('/', {
      headers: { Cookie: `blog_author=${cookie.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}` },
    });
    expect(forged.text).not.toContain('author-name');
  });

  it('a next outside the site is replaced by the home page', async () => {
    await blog.db.createAuthor(ADA.name, ADA.password);
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const response = await blog.post('/auth/login', { ...ADA, next });
      expect(response.headers.get('Location')).toBe('/');
    }
  });

  it('signing out clears the cookie (through an XSRF-protected form)', async () => {
    const cookie = await blog.signIn();
    const response = await blog.post('/auth/logout', {}, cookie);
    expect(response.code).toBe(302);
    expect(response.headers.getList('Set-Cookie').join('\n')).toMatch(/blog_author=; expires=/);
  });

  it('an empty blog sends the login page to /auth/create, which closes once an author exists', async () => {
    const login = await blog.server.fetch('/auth/login', { followRedirects: false });
    expect(login.headers.get('Location')).toBe('/auth/create');
    const short = await blog.post('/auth/create', { name: 'ada', password: 'short' });
    expect(short.code).toBe(400);
    const created = await blog.post('/auth/create', { name: 'ada', password: 'long enough' });
    expect(created.code).toBe(302);
    expect(setCookies(created).blog_author).toMatch(/^"2\|/);
    expect((await blog.db.checkPassword('ada', 'long enough'))?.name).toBe('ada');
    await expectLog(genLog, /403 GET \/auth\/create .*the blog has an author/, async () => {
      expect((await blog.server.fetch('/auth/create')).code).toBe(403);
    });
  });
});

describe('writing entries', () => {
  it('a POST without the XSRF token is refused and creates nothing', async () => {
    const cookie = await blog.signIn();
    await expectLog(genLog, /403 POST \/compose .*'_xsrf' argument missing/, async () => {
      const response = await blog.server.fetch('/compose', {
        method: 'POST',
        body: 'title=Sneaky&text=posted+from+elsewhere',
        headers: { Cookie: cookie },
        followRedirects: false,
      });
      expect(response.code).toBe(403);
    });
    await expectLog(genLog, /403 POST \/compose .*XSRF cookie does not match/, async () => {
      const mismatched = await blog.server.fetch('/compose', {
        method: 'POST',
        body: `title=Sneaky&text=x&_xsrf=${XSRF}`,
        headers: { Cookie: `${cookie}; _xsrf=0000${XSRF.slice(4)}` },
        followRedirects: false,
      });
      expect(mismatched.code).toBe(403);
    });
    expect((await blog.db.info()).entries).toBe(0);
  });

  it('the compose form carries the XSRF token', async () => {
    const cookie = await blog.signIn();
    const page = await blog.server.fetch('/compose', { headers: { Cookie: cookie } });
    expect(page.code).toBe(200);
    expect(page.text).toMatch(
      /<form action="\/compose" method="post"[\s\S]*name="_xsrf" value="2\|/,
    );
  });

  it('posting the form creates the entry and redirects to its page', async () => {
    const cookie = await blog.signIn();
    const text = 'First paragraph & more.\n\nSecond <b>one</b>, see https://example.org/';
    const response = await blog.post('/compose', { title: 'My first entry', text }, cookie);
    expect(response.code).toBe(302);
    expect(response.headers.get('Location')).toBe('/entry/my-first-entry');
    const page = await blog.server.fetch('/entry/my-first-entry');
    expect(page.text).toContain('<p>First paragraph &amp; more.</p>');
    expect(page.text).toContain('Second &lt;b&gt;one&lt;/b&gt;');
    expect(page.text).toContain('<a href="https://example.org/">https://example.org/</a>');
    const again = await blog.post('/compose', { title: 'My first entry', text: 'x' }, cookie);
    expect(again.headers.get('Location')).toBe('/entry/my-first-entry-2');
  });

  it('editing an entry keeps its address', async () => {
    const cookie = await blog.signIn();
    await blog.post('/compose', { title: 'Draft', text: 'old' }, cookie);
    const entry = (await blog.db.entryBySlug('draft'))!;
    const form = await blog.server.fetch(`/compose?id=${entry.id}`, {
      headers: { Cookie: cookie },
    });
    expect(form.text).toContain('>old</textarea>');
    const response = await blog.post(
      '/compose',
      { id: String(entry.id), title: 'Final title', text: 'new' },
      cookie,
    );
    expect(response.headers.get('Location')).toBe('/entry/draft');
    expect((await blog.db.entryById(entry.id))?.title).toBe('Final title');
  });

  it('an entry without a title is sent back with a message, and editing a missing entry is a 404', async () => {
    const cookie = await blog.signIn();
    const empty = await blog.post('/compose', { title: '  ', text: 'body' }, cookie);
    expect(empty.code).toBe(400);
    expect(empty.text).toContain('An entry needs a title and some text.');
    expect(empty.text).toContain('>body</textarea>');
    await expectLog(genLog, /404 GET \/compose\?id=999 .*no entry with id 999/, async () => {
      const missing = await blog.server.fetch('/compose?id=999', { headers: { Cookie: cookie } });
      expect(missing.code).toBe(404);
    });
  });
});

describe('locale switch', () => {
  it('follows Accept-Language when nothing was picked', async () => {
    const page = await blog.server.fetch('/', { headers: { 'Accept-Language': 'es-ES,es;q=0.9' } });
    expect(page.text).toContain('<html lang="es-ES">');
    expect(page.text).toContain('Todavía no hay entradas.');
    const french = await blog.server.fetch('/', {
      headers: { 'Accept-Language': 'de;q=0.9, fr-FR;q=0.8' },
    });
    expect(french.text).toContain('Pas encore d’articles.');
  });

  it('?lang= picks a language and remembers it in a cookie that wins over Accept-Language', async () => {
    const picked = await blog.server.fetch('/?lang=fr_FR');
    expect(picked.text).toContain('>Archives<');
    const lang = setCookies(picked).blog_lang;
    expect(lang).toBe('fr_FR');
    const later = await blog.server.fetch('/archive', {
      headers: { Cookie: `blog_lang=${lang}`, 'Accept-Language': 'es' },
    });
    expect(later.text).toContain('<html lang="fr-FR">');
    expect(later.text).toContain('class="lang current" data-lang="fr_FR"');
  });

  it('an unsupported ?lang= is ignored', async () => {
    const page = await blog.server.fetch('/?lang=xx_YY');
    expect(setCookies(page).blog_lang).toBeUndefined();
    expect(page.text).toContain('No entries yet.');
  });

  it('entry dates and bylines are translated', async () => {
    const author = await blog.db.createAuthor('ada', 'password!');
    const entry = await blog.db.createEntry(author.id, 'Fecha', 'x', '<p>x</p>');
    const page = (await blog.server.fetch(`/entry/${entry.slug}?lang=es_ES`)).text;
    const date = new Date(entry.published * 1000);
    const months = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto'];
    const month = [...months, 'septiembre', 'octubre', 'noviembre', 'diciembre'][
      date.getUTCMonth()
    ];
    expect(page).toContain(
      `Por ada el ${date.getUTCDate()} de ${month} de ${date.getUTCFullYear()}`,
    );
    expect(page).toContain('data-label="palabras"');
  });
});
