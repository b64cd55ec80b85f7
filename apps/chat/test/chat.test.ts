import { genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp } from '../src/app.js';
import { MessageBuffer } from '../src/message-buffer.js';
import { pollUpdates, postForm, postMessage, until, xsrfCookie } from './chat-client.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
let buffer = new MessageBuffer();
const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
  buffer = new MessageBuffer();
  return makeApp({ buffer });
});

describe('the chat page', () => {
  it('renders the kept messages, the form with its XSRF field, and versioned static URLs', async () => {
    const xsrf = await xsrfCookie(server.current);
    await postMessage(server.current, xsrf, 'first <b>bold</b> see http://example.com');
    const page = await server.current.fetch('/');
    expect(page.code).toBe(200);
    expect(page.text).toContain('first &lt;b&gt;bold&lt;/b&gt; see <a href="http://example.com">');
    expect(page.text).toMatch(/<input type="hidden" name="_xsrf" value="2\|[0-9a-f]+\|/);
    expect(page.text).toMatch(/src="\/static\/chat\.js\?v=[0-9a-f]+"/);
    expect(page.text).toMatch(/href="\/static\/chat\.css\?v=[0-9a-f]+"/);
    const script = await server.current.fetch('/static/chat.js');
    expect(script.code).toBe(200);
    expect(script.text).toContain("'/a/message/updates'");
  });
});

describe('posting', () => {
  it('answers the new message as JSON with its escaped, linkified HTML', async () => {
    const xsrf = await xsrfCookie(server.current);
    const message = await postMessage(server.current, xsrf, 'hi <there> www.tornadoweb.org');
    expect(message.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(message.body).toBe('hi <there> www.tornadoweb.org');
    expect(message.html).toBe(
      `<div class="message" id="m${message.id}">hi &lt;there&gt; <a href="http://www.tornadoweb.org">www.tornadoweb.org</a></div>\n`,
    );
    expect(buffer.cache).toEqual([message]);
  });

  it('redirects to `next` when the form is posted without JavaScript', async () => {
    const xsrf = await xsrfCookie(server.current);
    const response = await postForm(server.current, '/a/message/new', xsrf, {
      body: 'from a form',
      next: '/',
    });
    expect(response.code).toBe(302);
    expect(response.headers.get('Location')).toBe('/');
    expect(buffer.cache.map((m) => m.body)).toEqual(['from a form']);
  });

  it('does not redirect to another site', async () => {
    const xsrf = await xsrfCookie(server.current);
    const response = await postForm(server.current, '/a/message/new', xsrf, {
      body: 'x',
      next: '//evil.example/',
    });
    expect(response.code).toBe(200);
  });

  it('refuses a post without a body (400)', async () => {
    const xsrf = await xsrfCookie(server.current);
    const response = await expectLog(genLog, /400 POST \/a\/message\/new.*body/, () =>
      postForm(server.current, '/a/message/new', xsrf, {}),
    );
    expect(response.code).toBe(400);
    expect(buffer.cache).toEqual([]);
  });

  it('delivers a post to every client waiting for updates', async () => {
    const xsrf = await xsrfCookie(server.current);
    const waiting = [1, 2, 3].map(() => pollUpdates(server.current, xsrf, null));
    await until(() => buffer.waiterCount === 3);
    const message = await postMessage(server.current, xsrf, 'hello all');
    for (const messages of await Promise.all(waiting)) expect(messages).toEqual([message]);
    expect(buffer.waiterCount).toBe(0);
  });
});

describe('cursors', () => {
  it('answers at once with the messages after the cursor, or all of them for none or an unknown one', async () => {
    const xsrf = await xsrfCookie(server.current);
    const a = await postMessage(server.current, xsrf, 'a');
    const b = await postMessage(server.current, xsrf, 'b');
    const c = await postMessage(server.current, xsrf, 'c');
    expect(await pollUpdates(server.current, xsrf, a.id)).toEqual([b, c]);
    expect(await pollUpdates(server.current, xsrf, b.id)).toEqual([c]);
    expect(await pollUpdates(server.current, xsrf, null)).toEqual([a, b, c]);
    expect(await pollUpdates(server.current, xsrf, 'no-such-id')).toEqual([a, b, c]);
    expect(buffer.waiterCount).toBe(0);
  });

  it('waits when the cursor is the latest message, then answers only the new one', async () => {
    const xsrf = await xsrfCookie(server.current);
    const a = await postMessage(server.current, xsrf, 'a');
    let answered = false;
    const poll = pollUpdates(server.current, xsrf, a.id).then((messages) => {
      answered = true;
      return messages;
    });
    await until(() => buffer.waiterCount === 1);
    expect(answered).toBe(false);
    const b = await postMessage(server.current, xsrf, 'b');
    expect(await poll).toEqual([b]);
  });
});

describe('XSRF protection', () => {
  it('refuses a post and a poll that carry no token (403)', async () => {
    const noToken = { method: 'POST', body: 'body=sneaky' } as const;
    const post = await expectLog(genLog, /403 POST \/a\/message\/new.*_xsrf/, () =>
      server.current.fetch('/a/message/new', noToken),
    );
    expect(post.code).toBe(403);
    const poll = await expectLog(genLog, /403 POST \/a\/message\/updates/, () =>
      server.current.fetch('/a/message/updates', { method: 'POST', body: '' }),
    );
    expect(poll.code).toBe(403);
    expect(buffer.cache).toEqual([]);
    expect(buffer.waiterCount).toBe(0);
  });

  it('refuses a token that does not match the cookie (403)', async () => {
    const xsrf = await xsrfCookie(server.current);
    const other = await xsrfCookie(server.current);
    const response = await expectLog(genLog, /403 POST \/a\/message\/new.*XSRF/, () =>
      server.current.fetch('/a/message/new', {
        method: 'POST',
        headers: { Cookie: `_xsrf=${xsrf}`, 'X-XSRFToken': other },
        body: 'body=forged',
      }),
    );
    expect(response.code).toBe(403);
  });

  it('accepts the token as the _xsrf form field as well as the header', async () => {
    const xsrf = await xsrfCookie(server.current);
    const response = await server.current.fetch('/a/message/new', {
      method: 'POST',
      headers: { Cookie: `_xsrf=${xsrf}` },
      body: new URLSearchParams({ body: 'via the form', _xsrf: xsrf }).toString(),
    });
    expect(response.code).toBe(200);
    expect(buffer.cache.map((m) => m.body)).toEqual(['via the form']);
  });
});
