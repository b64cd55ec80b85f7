import { sleep } from '@tronada/gen';
import { DictLoader } from '@tronada/template';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, RequestHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
const hooks = { beforeEach, afterEach };

describe('UIMethodUIModuleTest', () => {
  class Handler extends RequestHandler {
    override get(): void {
      if (this.getArgument('keys', null) !== null) {
        this.write(Object.keys(this.ui).sort().join(','));
        return;
      }
      void this.render('foo.html');
    }
    value(): string {
      return this.getArgument('value');
    }
  }
  const myUiMethod = (handler: Handler, x: unknown) =>
    `In my_ui_method(${String(x)}) with handler value ${handler.value()}.`;
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application([['/', Handler]], {
        templateLoader: new DictLoader({ 'foo.html': '{{ my_ui_method(42) }}' }),
        uiMethods: [
          {
            my_ui_method: () => 'replaced by the later record',
            Helper: () => '',
            _private: () => '',
            limit: 3,
          },
          { my_ui_method: myUiMethod },
        ],
      }),
  );

  it('binds UI methods to the handler for its templates (UIMethodUIModuleTest.test_ui_method, UI methods only)', async () => {
    const response = await server.current.fetch('/?value=asdf');
    expect(response.code).toBe(200);
    expect(response.text).toBe('In my_ui_method(42) with handler value asdf.');
  });

  it('skips private, capitalised and non-function entries of uiMethods', async () => {
    // `ui` also holds the UI module namespace, as `_tt_modules` and `modules` (as in Tornado).
    expect((await server.current.fetch('/?keys=1')).text).toBe('_tt_modules,modules,my_ui_method');
  });
});

describe('UI methods in templates', () => {
  class Handler extends RequestHandler {
    override get(): void {
      void this.render('page.html');
    }
  }
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application([['/', Handler]], {
        templateLoader: new DictLoader({
          'page.html': '{{ shout(handler.request.path) }}|{{ double(21) }}',
        }),
        uiMethods: [
          {
            shout: (handler: RequestHandler, text: string) =>
              `${text.toUpperCase()} ${handler.request.method}`,
          },
          { double: (_handler: RequestHandler, n: number) => n * 2, Constant: 3 },
        ],
      }),
  );

  it('passes the handler first and the template arguments after it, from every record of the list', async () => {
    const response = await server.current.fetch('/');
    expect(response.code).toBe(200);
    expect(response.text).toBe('/ GET|42');
  });
});

describe('SetLazyPropertiesTest', () => {
  class Handler extends RequestHandler {
    override prepare(): void {
      this.currentUser = 'Ben';
    }
    override getCurrentUser(): unknown {
      throw new Error('getCurrentUser must not be called once currentUser is assigned');
    }
    override get(): void {
      this.write(`Hello ${String(this.currentUser)}`);
    }
  }
  const server = useAsyncHTTPTestCase(hooks, () => new Application([['/', Handler]]));

  it('lets currentUser be assigned instead of computed (SetLazyPropertiesTest.test_set_properties, currentUser only)', async () => {
    const response = await server.current.fetch('/');
    expect(response.code).toBe(200);
    expect(response.text).toBe('Hello Ben');
  });
});

describe('GetCurrentUserTest', () => {
  class CurrentUserHandler extends RequestHandler {
    loaded = false;
    override getCurrentUser(): unknown {
      this.loaded = true;
      return '';
    }
  }
  class WithUserHandler extends CurrentUserHandler {
    override get(): void {
      this.renderString('with_user.html');
      void this.finish(String(this.loaded));
    }
  }
  class WithoutUserHandler extends CurrentUserHandler {
    override get(): void {
      this.renderString('without_user.html');
      void this.finish(String(this.loaded));
    }
  }
  class UntouchedUserHandler extends CurrentUserHandler {
    override get(): void {
      void this.finish(String(this.loaded));
    }
  }
  class AsyncUserHandler extends RequestHandler {
    calls = 0;
    override async getCurrentUser(): Promise<unknown> {
      this.calls++;
      await sleep(0.001);
      return { name: 'ada' };
    }
    override prepare(): void {
      // An async getCurrentUser has been awaited by now.
      this.write(`prepare sees ${JSON.stringify(this.currentUser)}; `);
    }
    override get(): void {
      this.write(`get sees ${JSON.stringify(this.currentUser)}; calls ${this.calls}`);
    }
  }
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application(
        [
          ['/without_user', WithoutUserHandler],
          ['/with_user', WithUserHandler],
          ['/untouched', UntouchedUserHandler],
          ['/async', AsyncUserHandler],
        ],
        {
          templateLoader: new DictLoader({
            'without_user.html': '{{ request.path }}',
            'with_user.html': '{{ currentUser }}',
          }),
        },
      ),
  );

  it('does not call getCurrentUser for a template that does not use currentUser (GetCurrentUserTest.test_get_current_user_is_lazy)', async () => {
    expect((await server.current.fetch('/without_user')).text).toBe('false');
  });

  it('calls getCurrentUser for a template that uses currentUser (GetCurrentUserTest.test_get_current_user_works)', async () => {
    expect((await server.current.fetch('/with_user')).text).toBe('true');
  });

  it('does not call a plain getCurrentUser when nothing reads currentUser', async () => {
    expect((await server.current.fetch('/untouched')).text).toBe('false');
  });

  it('awaits an async getCurrentUser once, before prepare', async () => {
    expect((await server.current.fetch('/async')).text).toBe(
      'prepare sees {"name":"ada"}; get sees {"name":"ada"}; calls 1',
    );
  });
});

describe('ApplicationTest', () => {
  it('listens on a port and stops (ApplicationTest.test_listen)', async () => {
    const app = new Application([]);
    const server = await app.listen(0, '127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    server.stop();
    await server.closeAllConnections();
  });
});
