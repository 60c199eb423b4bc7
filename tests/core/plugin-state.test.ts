/** Plugin state per network: routes follow it, dependencies are enforced, data survives, settings persist. */
import type { ExecutionContext } from 'ava';
import { createApp, PluginActionError } from '../../core';
import { eachDatabase, type TestDatabase } from '../helpers/databases';
import { ADMIN, FIXTURE_PLUGINS, makeApp, type TestAgent, type TestApp } from '../helpers/app';
import { addSubNetwork, hasTable, pageSkeleton, pluginSource, tempPlugins } from '../fixtures/support';
import { eachAppOf } from '../helpers/each-app';

/** One test per database with the fixture plugins installed. */
const eachFixturesApp = eachAppOf((db) => makeApp(db, { withFixtures: true }));

/** The fixture plus `fixdep`, a plain-JS plugin that depends on it. */
async function appWithDependent(t: ExecutionContext, db: TestDatabase): Promise<TestApp> {
  const tmp = tempPlugins({ fixdep: pluginSource({ id: "'fixdep'", dependsOn: "['fixture']" }) });
  const app = await makeApp(db, { config: { plugins: { dirs: [FIXTURE_PLUGINS, tmp.dir] } } });
  t.teardown(async () => {
    await app.close();
    tmp.remove();
  });
  return app;
}

async function refusal(t: ExecutionContext, action: Promise<unknown>, key: string): Promise<PluginActionError> {
  const err = await t.throwsAsync(action, { instanceOf: PluginActionError });
  t.is(err?.messageKey, key);
  return err!;
}

/** Asserts `pathname` answers exactly like a URL that never existed. */
async function answersLikeUnknown(t: ExecutionContext, agent: TestAgent, pathname: string): Promise<void> {
  const unknownPath = `${/^\/n\/[a-z0-9-]+/.exec(pathname)?.[0] ?? ''}/no/such/page`;
  const res = await agent.http.get(pathname);
  const unknown = await agent.http.get(unknownPath);
  t.is(res.status, 404, pathname);
  t.is(pageSkeleton(res.text, pathname), pageSkeleton(unknown.text, unknownPath));
}

eachFixturesApp('enabling and disabling decide which routes answer; disabled is a 404 like an unknown URL', async (t, { app, agent }) => {
  const a = agent();
  // The main menu is read signed in: the test network is closed to guests, who get none (issue 27, item 12).
  const member = agent();
  await member.login(ADMIN.username, ADMIN.password);
  await answersLikeUnknown(t, a, '/fixture/hello');
  t.false((await member.http.get('/')).text.includes('href="/fixture/hello"'), 'no menu entry while disabled');

  await app.ruche.pluginState.enable('fixture');
  const hello = await a.http.get('/fixture/hello');
  t.is(hello.status, 200);
  t.true(hello.text.includes('Hello from the fixture'));
  t.true((await member.http.get('/')).text.includes('href="/fixture/hello"'), 'the menu entry appears');

  await app.ruche.pluginState.disable('fixture');
  await answersLikeUnknown(t, a, '/fixture/hello');
  await a.login(ADMIN.username, ADMIN.password);
  const token = await a.csrf('/');
  t.is((await a.http.post('/fixture/notes').type('form').send({ _csrf: token, body: 'x' })).status, 404, 'POST routes too');
  await answersLikeUnknown(t, a, '/fixture/members');
});

eachDatabase('a plugin cannot be enabled without its dependency, nor disabled while needed', async (t, db) => {
  const { app } = await appWithDependent(t, db);
  const state = app.ruche.pluginState;
  const err = await refusal(t, state.enable('fixdep'), 'core.plugins.error.dependencyDisabled');
  t.deepEqual(err.params, { plugin: 'fixdep', dependency: 'fixture' });
  t.false(state.isEnabled('fixdep'));

  await state.enable('fixture');
  await state.enable('fixdep');
  const needed = await refusal(t, state.disable('fixture'), 'core.plugins.error.hasDependents');
  t.deepEqual(needed.params, { plugin: 'fixture', dependents: 'fixdep' });
  t.true(state.isEnabled('fixture'));
  await refusal(t, state.uninstall('fixture'), 'core.plugins.error.hasDependents');
  t.true(await hasTable(app.ruche.db, 'fixture_notes'));

  await state.disable('fixdep');
  await state.disable('fixture');
  t.false(state.isEnabled('fixture'));
  await refusal(t, state.enable('nonexistent'), 'core.plugins.error.unknown');
});

eachFixturesApp('disabling keeps the data and re-enabling brings it back', async (t, { app, agent }) => {
  await app.ruche.pluginState.enable('fixture');
  const a = agent();
  await a.login(ADMIN.username, ADMIN.password);
  for (const body of ['first note', 'second note']) {
    const token = await a.csrf('/fixture/members');
    const res = await a.http.post('/fixture/notes').type('form').send({ _csrf: token, body });
    t.is(res.status, 303);
    t.is(res.headers.location, '/fixture/members');
  }
  await app.ruche.pluginState.disable('fixture');
  t.is((await a.http.get('/fixture/members')).status, 404);
  t.deepEqual(await app.ruche.db('fixture_notes').where({ kind: 'note' }).orderBy('id').pluck('body'), ['first note', 'second note']);

  await app.ruche.pluginState.enable('fixture');
  const page = await a.http.get('/fixture/members');
  t.is(page.status, 200);
  t.regex(page.text, /first note[\s\S]*second note/);
});

eachDatabase('settings are validated, stored and read back by a new app', async (t, db) => {
  const { app, agent, config, close } = await makeApp(db, { withFixtures: true });
  const state = app.ruche.pluginState;
  try {
    await state.enable('fixture');
    t.deepEqual(state.settings('fixture'), { greeting: 'Hello', repeat: 1, failFilter: false });
    const bad = await refusal(
      t,
      state.configure('fixture', { greeting: 'x'.repeat(41), repeat: 'many', colour: 'red' }),
      'core.plugins.error.badSettings',
    );
    t.deepEqual(
      bad.errors.map((e) => [e.key, e.message]),
      [
        ['greeting', 'core.settings.tooLong'],
        ['repeat', 'core.settings.notNumber'],
        ['colour', 'core.settings.unknown'],
      ],
    );
    await refusal(t, state.configure('fixture', { repeat: '9' }), 'core.plugins.error.badSettings');
    await refusal(t, state.configure('fixture', { repeat: '2.5' }), 'core.plugins.error.badSettings');
    t.is(state.settings('fixture').greeting, 'Hello', 'nothing stored after a refusal');

    t.deepEqual(await state.configure('fixture', { greeting: '  Bonjour  ', repeat: '3' }), { greeting: 'Bonjour', repeat: 3, failFilter: false });
    const page = await agent().http.get('/fixture/hello');
    t.is((page.text.match(/class="fixture-greeting">Bonjour</g) ?? []).length, 3);
  } finally {
    await close();
  }
  const again = await createApp(config, { cwd: db.dataDir });
  try {
    t.deepEqual(again.ruche.pluginState.settings('fixture'), { greeting: 'Bonjour', repeat: 3, failFilter: false });
    t.true(again.ruche.pluginState.isEnabled('fixture'));
  } finally {
    await again.close();
  }
});

eachFixturesApp('uninstalling runs the down migrations and clears the plugin state', async (t, { app, agent }) => {
  const rt = app.ruche;
  const sub = await addSubNetwork(rt, 'team');
  await rt.pluginState.enable('fixture');
  await rt.pluginState.configure('fixture', { greeting: 'Hi' }, sub);
  await rt.hooks.emit('fixture:pinged', { networkId: rt.networks.root().id, by: 1 });
  t.is((await rt.db('plugin_state').where({ plugin_id: 'fixture' })).length, 2);

  t.deepEqual(await rt.pluginState.uninstall('fixture'), ['001_fixture_notes']);
  t.false(await hasTable(rt.db, 'fixture_notes'));
  t.false(await hasTable(rt.db, 'ruche_migrations_fixture'));
  t.deepEqual(await rt.db('plugin_state').where({ plugin_id: 'fixture' }), []);
  t.false(rt.pluginState.isEnabled('fixture'));
  t.deepEqual(rt.pluginState.settings('fixture', sub), { greeting: 'Hello', repeat: 1, failFilter: false });
  t.is((await agent().http.get('/fixture/hello')).status, 404);

  await rt.pluginState.enable('fixture');
  t.deepEqual(await rt.db('fixture_notes').select('id'), [], 'a reinstall starts empty');
});

eachFixturesApp('a sub-network follows the root unless it has its own state', async (t, { app, agent }) => {
  const rt = app.ruche;
  const sub = await addSubNetwork(rt, 'team');
  const a = agent();
  const status = async (p: string) => (await a.http.get(p)).status;

  t.is(await status('/n/team/fixture/hello'), 404);
  await rt.pluginState.enable('fixture');
  t.is(await status('/n/team/fixture/hello'), 200, 'inherited from the root');
  const member = agent();
  await member.login(ADMIN.username, ADMIN.password);
  const page = await member.http.get('/n/team/');
  t.true(page.text.includes('href="/n/team/fixture/hello"'), 'menu links carry the network prefix');

  await rt.pluginState.disable('fixture', sub);
  t.is(await status('/n/team/fixture/hello'), 404);
  t.is(await status('/fixture/hello'), 200, 'the root keeps it');
  await answersLikeUnknown(t, a, '/n/team/fixture/hello');

  await rt.pluginState.enable('fixture', sub);
  t.is(await status('/n/team/fixture/hello'), 200);
  await rt.pluginState.disable('fixture');
  t.is(await status('/n/team/fixture/hello'), 404, 'disabled at the root is disabled everywhere');
  await refusal(t, rt.pluginState.enable('fixture', sub), 'core.plugins.error.disabledAtRoot');
  t.is(await status('/n/nowhere/fixture/hello'), 404);
});

eachFixturesApp("a sub-network's settings override the root's, and setting them does not pin its enabled state", async (t, { app, agent }) => {
  const rt = app.ruche;
  const sub = await addSubNetwork(rt, 'team');
  await rt.pluginState.configure('fixture', { greeting: 'Salut' }, sub);
  await rt.pluginState.configure('fixture', { greeting: 'Howdy' });
  t.false(rt.pluginState.isEnabled('fixture'), 'configuring does not enable');
  await rt.pluginState.enable('fixture');
  t.true(rt.pluginState.isEnabled('fixture', sub), 'the sub-network still follows the root');
  t.is(rt.pluginState.settings('fixture', sub).greeting, 'Salut');
  t.is(rt.pluginState.settings('fixture').greeting, 'Howdy');
  const a = agent();
  t.true((await a.http.get('/n/team/fixture/hello')).text.includes('>Salut<'));
  t.true((await a.http.get('/fixture/hello')).text.includes('>Howdy<'));
});
