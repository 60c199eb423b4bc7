/**
 * Every in-memory cache (plugin state and settings, networks and hosts, registration
 * policies, grants, charter version, site name, branding, theme) follows a change made by
 * another process or by the CLI within about a second. Two apps serve one database (each
 * with its own pub/sub and poll, as two `ruche start` processes would), and the real CLI
 * (`node bin/ruche.js`) changes state while they run.
 */
import test, { type ExecutionContext } from 'ava';
import { createApp, listen, type RucheApp, type RunningServer } from '../../core';
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases';
import { ADMIN, makeAgent, makeApp, type TestAgent } from '../helpers/app';
import { run, writeTestTheme } from '../cli/helpers';

/** How long another process may take to see a change (the poll runs every 500 ms). */
const WITHIN_MS = 1_000;

interface Pair {
  /** The process that changes (A) and the one that must see it (B). */
  a: RucheApp;
  b: RucheApp;
  cli(...args: string[]): Promise<string>;
}

/**
 * Like eachDatabase, but one test at a time: each runs two apps in this process and times
 * what the other sees, which other tests running beside it would slow down.
 */
function eachDatabaseSerial(title: string, fn: (t: ExecutionContext, db: TestDatabase) => Promise<void>): void {
  for (const kind of databaseKinds()) {
    test.serial(`${title} [${kind}]`, async (t) => {
      const db = await freshDatabase(kind);
      try {
        await fn(t, db);
      } finally {
        await db.drop();
      }
    });
  }
}

/** Runs `fn` with both servers, stopped before the database is dropped. */
async function withPair(db: TestDatabase, fn: (p: Pair) => Promise<void>): Promise<void> {
  const p = await pair(db);
  try {
    await fn(p);
  } finally {
    await p.stop();
  }
}

async function pair(db: TestDatabase): Promise<Pair & { stop(): Promise<void> }> {
  const themeEnv = writeTestTheme(db.dataDir);
  const themes = { dirs: JSON.parse(themeEnv.RUCHE_THEMES__DIRS) as string[] };
  const first = await makeApp(db, { config: { themes } });
  const b = await createApp(first.config, { cwd: db.dataDir });
  const servers: RunningServer[] = [await listen(first.app, 0, '127.0.0.1'), await listen(b, 0, '127.0.0.1')];
  const env = { RUCHE_DATABASE_URL: db.url, RUCHE_DATA_DIR: db.dataDir, RUCHE_SECRET: first.config.secret, ...themeEnv };
  return {
    a: first.app,
    b,
    async stop() {
      for (const s of servers) await s.stop();
    },
    async cli(...args) {
      const r = await run(args, db.dataDir, env);
      if (r.code !== 0) throw new Error(`ruche ${args.join(' ')} failed: ${r.stderr}`);
      return r.stdout;
    },
  };
}

/** Asserts `seen()` becomes true within WITHIN_MS of now. */
async function seenWithin(t: ExecutionContext, what: string, seen: () => boolean | Promise<boolean>): Promise<void> {
  const start = Date.now();
  while (!(await seen())) {
    if (Date.now() - start > WITHIN_MS) {
      t.fail(`${what}: not seen by the other process within ${WITHIN_MS} ms`);
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  t.pass(`${what}: seen in ${Date.now() - start} ms`);
}

async function admin(app: RucheApp): Promise<TestAgent> {
  const agent = makeAgent(app);
  await agent.login(ADMIN.username, ADMIN.password);
  return agent;
}

eachDatabaseSerial('plugin state and settings changed by one process or the CLI are seen by the other within a second', async (t, db) =>
  withPair(db, async ({ a, b, cli }) => {
    const visitor = await admin(b);
    t.is((await visitor.http.get('/blogs')).status, 200);

    await a.ruche.pluginState.disable('blogs');
    await seenWithin(t, 'plugin disabled by a process', () => !b.ruche.pluginState.isEnabled('blogs'));
    t.is((await visitor.http.get('/blogs')).status, 404);

    await cli('plugin', 'enable', 'blogs');
    await seenWithin(t, 'plugin enabled by the CLI', () => b.ruche.pluginState.isEnabled('blogs'));
    t.is((await visitor.http.get('/blogs')).status, 200);

    await a.ruche.pluginState.configure('blogs', { defaultAccess: 'network' });
    await seenWithin(t, 'settings changed by a process', () => b.ruche.pluginState.settings('blogs').defaultAccess === 'network');

    await cli('plugin', 'config', 'blogs', 'defaultAccess=private');
    await seenWithin(t, 'settings changed by the CLI', () => b.ruche.pluginState.settings('blogs').defaultAccess === 'private');

    await cli('plugin', 'disable', 'blogs');
    await seenWithin(t, 'plugin disabled by the CLI', () => !b.ruche.pluginState.isEnabled('blogs'));
    t.is((await visitor.http.get('/blogs')).status, 404);
  }),
);

eachDatabaseSerial("saving a plugin's unchanged settings on one process never switches back on what the other disabled", async (t, db) =>
  withPair(db, async ({ a, b }) => {
    const agent = await admin(b);
    const token = await agent.csrf('/admin/plugins/blogs/settings');
    // Disabled through A; B saves its settings form at once, before any poll could tell it.
    await a.ruche.pluginState.disable('blogs');
    const saved = await agent.http.post('/admin/plugins/blogs/settings').type('form').send({ _csrf: token, 'setting-defaultAccess': 'members' });
    t.is(saved.status, 303);
    t.false(a.ruche.pluginState.isEnabled('blogs'), 'still disabled where it was disabled');
    const stored = (await a.ruche.db('plugin_state').where({ plugin_id: 'blogs', network_id: a.ruche.networks.root().id }).first('enabled')) as {
      enabled: number | boolean;
    };
    t.false(!!stored.enabled, 'still disabled in the database');
    await seenWithin(t, 'the disabled plugin on the saving process', () => !b.ruche.pluginState.isEnabled('blogs'));
  }),
);

eachDatabaseSerial('site name, registration policy, charter and grants changed by one process are seen by the other within a second', async (t, db) =>
  withPair(db, async ({ a, b }) => {
    const rootId = a.ruche.networks.root().id;
    const visitor = makeAgent(b);

    // Site name, through A's administration page.
    const adminA = await admin(a);
    const site = await adminA.csrf('/admin/appearance');
    const named = await adminA.http
      .post('/admin/appearance')
      .type('form')
      .send({ _csrf: site, siteName: 'Renamed hive', locale: 'en', theme: 'default' });
    t.is(named.status, 303, named.text.slice(0, 300));
    await seenWithin(t, 'site name', () => b.ruche.networks.root().name === 'Renamed hive');
    t.true((await visitor.http.get('/')).text.includes('Renamed hive'));

    // Invitations only, through A's administration page: an outsider can no longer register through B.
    const reg = await adminA.csrf('/admin/registration');
    t.is((await adminA.http.post('/admin/registration').type('form').send({ _csrf: reg, policy: 'invitation', domains: '' })).status, 303);
    await seenWithin(t, 'registration policy', () => b.ruche.networks.root().joinPolicy === 'invitation');
    const outsider = makeAgent(b);
    const form = await outsider.csrf('/login');
    const tried = await outsider.http.post('/register').type('form').send({
      _csrf: form,
      username: 'outsider',
      email: 'outsider@example.org',
      displayName: 'Out Sider',
      password: 'a long enough password',
      passwordConfirm: 'a long enough password',
    });
    t.is(tried.status, 422);
    t.falsy(await b.ruche.db('users').where({ username: 'outsider' }).first('id'), 'the outsider did not register');

    // A published charter: B asks its members to accept it.
    const v1 = await a.ruche.networks.setCharter(rootId, 'Be kind.');
    await seenWithin(t, 'charter version', () => b.ruche.networks.root().charterVersion === v1);
    // B publishes the next one at once: its version follows the stored one, never a stale copy.
    const v2 = await b.ruche.networks.setCharter(rootId, 'Be kind, really.');
    t.is(v2, v1 + 1);
    await seenWithin(t, 'charter published by the other process', () => a.ruche.networks.root().charterVersion === v2);

    // A grant.
    t.true(b.ruche.permissions.can(memberOf(rootId), 'core.invite', rootId));
    await a.ruche.permissions.setGrant(rootId, 'core.invite', 'member', false);
    await seenWithin(t, 'grant', () => !b.ruche.permissions.can(memberOf(rootId), 'core.invite', rootId));
  }),
);

eachDatabaseSerial(
  "a sub-network's host, policy, theme and branding set by the CLI or one process are seen by the other and the server within a second",
  async (t, db) =>
    withPair(db, async ({ a, b, cli }) => {
      const at = (app: RucheApp, host: string, pathname = '/') => makeAgent(app).http.get(pathname).set('Host', host);

      await cli('network', 'create', 'partner', '--name', 'Partner', '--host', 'partner.example.com');
      await seenWithin(t, 'a new sub-network and its host (CLI)', () => b.ruche.networks.host('partner.example.com')?.slug === 'partner');
      t.true((await at(b, 'partner.example.com')).text.includes('Partner'));

      const partner = (): NonNullable<ReturnType<RucheApp['ruche']['networks']['slug']>> => b.ruche.networks.slug('partner')!;
      await cli('network', 'config', 'partner', '--host', 'partner.example.net', '--join', 'invitation', '--color-primary', '#0b6e4f');
      await seenWithin(
        t,
        'host, policy and branding (CLI)',
        () => partner().host === 'partner.example.net' && partner().joinPolicy === 'invitation' && partner().branding.primary === '#0b6e4f',
      );
      t.true((await at(b, 'partner.example.net')).text.includes('Partner'));
      t.is(b.ruche.networks.host('partner.example.com'), undefined, 'the old host is no longer a sub-network');

      await cli('theme', 'use', 'slate', '--network', 'partner');
      await seenWithin(t, 'theme (CLI)', () => partner().theme === 'slate');
      await cli('theme', 'use', 'slate');
      await seenWithin(t, 'root theme (CLI)', () => a.ruche.networks.root().theme === 'slate' && b.ruche.networks.root().theme === 'slate');

      // Through one process: the other serves the new host.
      await a.ruche.networks.update(a.ruche.networks.slug('partner')!.id, { host: 'hive.partner.example' });
      await seenWithin(t, 'host (process)', () => b.ruche.networks.host('hive.partner.example')?.slug === 'partner');
      t.true((await at(b, 'hive.partner.example')).text.includes('Partner'));

      await a.ruche.networks.archive(a.ruche.networks.slug('partner')!.id);
      await seenWithin(t, 'archived (process)', () => b.ruche.networks.slug('partner') === undefined);
    }),
);

function memberOf(networkId: number) {
  return { id: 999, status: 'active', isRootAdmin: false, roles: { [networkId]: 'member' } } as unknown as import('../../core').Viewer;
}
