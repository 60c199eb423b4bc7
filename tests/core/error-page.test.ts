/** Unexpected failures during a request: a 500 that names no internals, logged with the request id. */
import type { ExecutionContext } from 'ava';
import type { RucheApp } from '../../core';
import { eachDatabase, type TestDatabase } from '../helpers/databases';
import { ADMIN, FIXTURE_PLUGINS, makeAgent, testConfig } from '../helpers/app';
import { FILTER_FAILURE } from '../fixtures/plugins/fixture/plugin';
import { captureLogger, installThenCreate, pluginSource, tempPlugins, type CapturedLogger } from '../fixtures/support';

const HANDLER_FAILURE = 'handler failed reading /srv/secret/boom.db';
const MENU_FAILURE = 'menu filter failed at /srv/secret/menu.js';

/** The fixture (home filter set to throw) and `boom`, whose route and menu filter throw. */
async function failingApp(t: ExecutionContext, db: TestDatabase, menuThrows = false): Promise<{ app: RucheApp; log: CapturedLogger }> {
  const hooks = menuThrows
    ? `[{ kind: 'filter', name: 'menu:main', options: {}, handler() { throw new Error(${JSON.stringify(MENU_FAILURE)}); } }]`
    : '[]';
  const tmp = tempPlugins({
    boom: pluginSource({
      id: "'boom'",
      routes: `[{ name: 'boom.fail', method: 'GET', path: '/boom', public: true, handler() { throw new TypeError(${JSON.stringify(HANDLER_FAILURE)}); } }]`,
      hooks,
    }),
  });
  const log = captureLogger();
  const config = testConfig(db, { plugins: { dirs: [FIXTURE_PLUGINS, tmp.dir] } });
  const app = await installThenCreate(
    config,
    async (rt) => {
      await rt.pluginState.enable('fixture');
      await rt.pluginState.enable('boom');
      await rt.pluginState.configure('fixture', { failFilter: 'true' });
    },
    { logger: log.logger },
  );
  t.teardown(async () => {
    await app.close();
    tmp.remove();
  });
  return { app, log };
}

function namesNoInternals(t: ExecutionContext, text: string, secret: string): void {
  for (const leak of [secret, '/srv/secret', 'HookFilterError', 'TypeError', 'Error:', '    at ', 'node_modules', 'plugin.js', 'fixture/plugin']) {
    t.false(text.includes(leak), `the response must not contain ${JSON.stringify(leak)}`);
  }
}

function loggedFailure(t: ExecutionContext, log: CapturedLogger, requestId: string): Record<string, unknown> {
  const line = log.lines().find((l) => l.level === 50 && l.reqId === requestId);
  t.truthy(line, 'the failure is logged with the request id');
  return line ?? {};
}

eachDatabase('a throwing filter renders the 500 page, and the log names the plugin and hook', async (t, db) => {
  const { app, log } = await failingApp(t, db);
  const agent = makeAgent(app);
  await agent.login(ADMIN.username, ADMIN.password);
  const res = await agent.http.get('/');
  t.is(res.status, 500);
  t.regex(res.headers['content-type'] ?? '', /text\/html/);
  t.true(res.text.includes('Something went wrong'), 'the localised 500 page');
  t.regex(res.text, /<\/html>\s*$/, 'a whole page, in the layout');
  const requestId = res.headers['x-request-id'];
  t.true(res.text.includes(requestId), 'the page gives the reference to quote');
  namesNoInternals(t, res.text, FILTER_FAILURE);
  const line = loggedFailure(t, log, requestId);
  t.is(line.plugin, 'fixture');
  t.is(line.hook, 'home:sections');
  t.is((line.err as { message?: string }).message, FILTER_FAILURE);

  const json = await agent.http.get('/').set('Accept', 'application/json');
  t.is(json.status, 500);
  t.is(json.body.error.code, 'internal_error');
  namesNoInternals(t, JSON.stringify(json.body), FILTER_FAILURE);

  await app.ruche.pluginState.configure('fixture', { failFilter: 'false' });
  t.is((await agent.http.get('/')).status, 200, 'the page works again once the filter stops throwing');
});

eachDatabase('a throwing route handler answers a 500 without internals, in French too', async (t, db) => {
  const { app, log } = await failingApp(t, db);
  const agent = makeAgent(app);
  const res = await agent.http.get('/boom').set('Accept-Language', 'fr');
  t.is(res.status, 500);
  t.true(res.text.includes('Une erreur s’est produite'));
  namesNoInternals(t, res.text, HANDLER_FAILURE);
  t.is((loggedFailure(t, log, res.headers['x-request-id']).err as { message?: string }).message, HANDLER_FAILURE);
  const api = await agent.http.get('/boom').set('Accept', 'application/json');
  t.is(api.status, 500);
  namesNoInternals(t, api.text, HANDLER_FAILURE);
});

eachDatabase('when the layout itself cannot render (menu filter throws), the 500 still names no internals', async (t, db) => {
  const { app, log } = await failingApp(t, db, true);
  const res = await makeAgent(app).http.get('/fixture/hello');
  t.is(res.status, 500);
  t.true(res.text.includes('Something went wrong'));
  namesNoInternals(t, res.text, MENU_FAILURE);
  const line = loggedFailure(t, log, res.headers['x-request-id']);
  t.is(line.plugin, 'boom');
  t.is(line.hook, 'menu:main');
});
