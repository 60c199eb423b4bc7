/**
 * Conformance: the same checks over EVERY plugin the loader finds (repo `plugins/`, the test
 * fixtures, `node_modules/ruche-plugin-*`), so a new plugin is covered without writing a test.
 * One app with every plugin enabled serves the HTTP checks, signed in as the admin so that
 * capability checks pass and only CSRF can refuse.
 */
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import semver from 'semver';
import { CORE_API_VERSION, type RouteDef } from '../../core';
import { loadPlugins, type LoadedPlugin } from '../../core/plugins/loader';
import { validateManifest } from '../../core/plugins/validate';
import { coreRoutes } from '../../core/routes';
import { databaseKinds, eachDatabase, freshDatabase, type FreshDatabase } from '../helpers/databases';
import { ADMIN, FIXTURE_PLUGINS, REPO_ROOT, makeApp, type TestAgent, type TestApp } from '../helpers/app';

const DISCOVERY = { appRoot: REPO_ROOT, dirs: [FIXTURE_PLUGINS], nodeModules: [path.join(REPO_ROOT, 'node_modules')] };
const CONFIG = { plugins: { dirs: [FIXTURE_PLUGINS] } };
const LOCALES = ['en', 'fr'] as const;

let discovered: LoadedPlugin[] = [];
let discoveryError: Error | undefined;
try {
  discovered = loadPlugins(DISCOVERY);
} catch (e) {
  discoveryError = e as Error;
}

let db: FreshDatabase;
let made: TestApp;
let admin: TestAgent;
let guest: TestAgent;

test.before(async () => {
  if (discoveryError) return;
  db = await freshDatabase(databaseKinds()[0]);
  made = await makeApp(db, { config: CONFIG });
  for (const p of made.app.ruche.plugins.list()) {
    if (!made.app.ruche.pluginState.isEnabled(p.manifest.id)) await made.app.ruche.pluginState.enable(p.manifest.id);
  }
  admin = made.agent();
  await admin.login(ADMIN.username, ADMIN.password);
  guest = made.agent();
  await guest.csrf('/');
});

test.after.always(async () => {
  await made?.close();
  await db?.drop();
});

const rt = () => made.app.ruche;
const csrfMessage = () => rt().i18n.t('en', 'core.error.csrf');
const concretePath = (p: string): string => p.replace(/:(\w+)(\([^)]*\))?\??/g, '1');
const looksLikeKey = (s: string, id: string): boolean => s.startsWith(`${id}.`) && !/\s/.test(s);

/** i18n keys a template uses literally: {{t "key"}} and (t "key"). */
function templateKeys(file: string): string[] {
  const source = fs.readFileSync(file, 'utf8');
  return [...source.matchAll(/[{(]\s*t\s+["']([A-Za-z0-9_.-]+)["']/g)].map((m) => m[1]);
}

/** Sends a state-changing request without any CSRF token; answers status and body. */
async function withoutToken(agent: TestAgent, method: string, url: string) {
  const req = agent.http[method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete'](url).set('Accept', 'text/html').set('Accept-Language', 'en');
  return req.type('form').send({ probe: 'conformance' });
}

test('discovery finds the plugins and the app loads exactly those', (t) => {
  if (discoveryError) return t.fail(`the loader refused a plugin: ${discoveryError.message}`);
  const ids = discovered.map((p) => p.manifest.id);
  t.true(ids.includes('fixture'), 'the fixture plugin is found');
  t.deepEqual(
    rt()
      .plugins.list()
      .map((p) => p.manifest.id),
    ids,
  );
  t.deepEqual(rt().pluginState.enabledIds(), ids, 'every plugin could be enabled');
  t.log(`plugins under test: ${ids.join(', ')}`);
});

for (const plugin of discovered) {
  const m = plugin.manifest;
  const id = m.id;
  const routes: RouteDef[] = m.routes ?? [];

  test(`${id}: the manifest is valid and supports this core`, (t) => {
    t.notThrows(() => validateManifest(m, plugin.dir));
    t.true(semver.satisfies(CORE_API_VERSION, m.core), `core range ${m.core} vs ${CORE_API_VERSION}`);
    t.truthy(semver.valid(m.version));
    if (m.i18n) for (const l of LOCALES) t.true(fs.existsSync(path.join(plugin.dir, m.i18n, `${l}.json`)), `${m.i18n}/${l}.json exists`);
    for (const name of m.templates ?? []) t.true(fs.existsSync(path.join(plugin.dir, 'templates', `${name}.hbs`)), `templates/${name}.hbs exists`);
    for (const r of routes) {
      const clash = rt()
        .routes.all()
        .find((o) => o.name !== r.name && o.method === r.method && o.path === r.path);
      t.is(clash, undefined, `${r.method} ${r.path} is also route ${clash?.name} of ${clash?.owner}`);
    }
  });

  test(`${id}: en and fr catalogs are complete`, (t) => {
    const i18n = rt().i18n;
    t.deepEqual(i18n.missing('en', 'fr', `${id}.`), [], `keys of ${id} missing in French`);
    t.deepEqual(i18n.missing('fr', 'en', `${id}.`), [], `keys of ${id} missing in English`);
    const referenced = new Map<string, string>();
    for (const menu of m.menus ?? []) referenced.set(menu.label, `menu ${menu.id}`);
    for (const p of m.permissions ?? []) referenced.set(p.description, `permission ${p.id}`);
    for (const [key, def] of Object.entries(m.settings ?? {})) referenced.set(def.label, `setting ${key}`);
    for (const field of [m.name, m.description]) if (looksLikeKey(field, id)) referenced.set(field, 'name/description');
    for (const name of m.templates ?? []) {
      const file = rt().views.resolve('default', `${id}/${name}`);
      if (file) for (const key of templateKeys(file)) referenced.set(key, `template ${name}`);
    }
    const missing = [...referenced].flatMap(([key, where]) => LOCALES.filter((l) => !i18n.has(l, key)).map((l) => `${l}: ${key} (${where})`));
    t.deepEqual(missing, []);
  });

  test(`${id}: every template it names resolves in every theme`, (t) => {
    const views = rt().views;
    for (const theme of views.themes.keys()) {
      for (const name of m.templates ?? []) t.truthy(views.resolve(theme, `${id}/${name}`), `${id}/${name} in theme ${theme}`);
      t.notThrows(() => views.compile(theme), `theme ${theme} compiles with ${id}`);
    }
  });

  test(`${id}: every route declares a known capability or public`, (t) => {
    for (const r of routes) {
      t.true((r.capability === undefined) !== (r.public === undefined), `${r.name}: exactly one of capability / public`);
      if (r.capability) t.true(rt().permissions.has(r.capability), `${r.name}: capability ${r.capability} is declared`);
      t.is(rt().routes.get(r.name)?.owner, id, `${r.name} is registered to ${id}`);
    }
    t.pass();
  });

  test(`${id}: every non-GET route refuses a request without a CSRF token (an API route from a guest: without a token)`, async (t) => {
    const changing = routes.filter((r) => r.method !== 'GET' && r.csrf !== false);
    if (!changing.length) t.log('no state-changing routes');
    for (const r of routes.filter((x) => x.csrf === false)) {
      t.log(`${r.method} ${r.path} is exempt (csrf: false: a signed-token endpoint)`);
      t.true(r.public === true && r.method === 'POST', `${r.name}: only a public POST may skip the CSRF check`);
    }
    for (const r of changing) {
      for (const agent of [admin, guest]) {
        const res = await withoutToken(agent, r.method, concretePath(r.path));
        // The API without a session cookie has nothing to forge: it asks for a token itself (a 401 problem).
        if (agent === guest && r.path.startsWith('/api/')) {
          t.is(res.status, 401, `${r.method} ${r.path} asks a guest to authenticate`);
          t.false(res.text.includes(csrfMessage()), `${r.method} ${r.path}: the API's answer, not the forms' gate`);
          continue;
        }
        t.is(res.status, 403, `${r.method} ${r.path}`);
        t.true(res.text.includes(csrfMessage()), `${r.method} ${r.path} is refused for its missing token`);
      }
    }
    t.pass();
  });

  test(`${id}: menus point at its own GET routes, which render for an admin`, async (t) => {
    for (const menu of m.menus ?? []) {
      const target = routes.find((r) => r.name === menu.route);
      t.truthy(target, `menu ${menu.id} → ${menu.route} is a route of ${id}`);
      if (!target) continue;
      t.is(target.method, 'GET', `menu ${menu.id} links to a page`);
      t.false(target.path.includes(':'), `menu ${menu.id}: a menu link cannot fill route parameters`);
      if (menu.capability) t.true(rt().permissions.has(menu.capability));
    }
    for (const r of routes.filter((x) => x.method === 'GET' && !x.path.includes(':'))) {
      const res = await admin.http.get(r.path);
      t.true(res.status < 500, `GET ${r.path} answers ${res.status}`);
    }
    t.pass();
  });
}

test('core: every non-GET route refuses a request without a CSRF token', async (t) => {
  const changing = coreRoutes.filter((r) => r.method !== 'GET');
  t.true(changing.length >= 3, 'the core has state-changing routes (sign-in, sign-out, language, setup)');
  for (const r of changing) {
    for (const agent of [admin, guest]) {
      const res = await withoutToken(agent, r.method, concretePath(r.path));
      t.is(res.status, 403, `${r.method} ${r.path}`);
      t.true(res.text.includes(csrfMessage()), `${r.method} ${r.path}`);
    }
  }
});

eachDatabase('every plugin migrates up when enabled and fully down when uninstalled', async (t, tdb) => {
  const app = await makeApp(tdb, { config: CONFIG });
  try {
    const r = app.app.ruche;
    const tables = async (): Promise<string[]> => {
      const rows =
        tdb.kind === 'sqlite'
          ? await r.db('sqlite_master').where({ type: 'table' }).whereNot('name', 'like', 'sqlite_%').pluck('name')
          : await r.db('pg_tables').where({ schemaname: 'public' }).pluck('tablename');
      return (rows as string[]).sort();
    };
    const plugins = r.plugins.list();
    for (const p of [...plugins].reverse()) await r.pluginState.uninstall(p.manifest.id); // some are enabled at install
    const before = await tables();
    for (const p of plugins) await r.pluginState.enable(p.manifest.id);
    t.true((await tables()).includes('fixture_notes'), 'enabling ran the migrations');
    for (const p of plugins) {
      t.deepEqual(await r.migrator.pending(r.plugins.owners([p.manifest.id])), [], `${p.manifest.id}: migrations applied`);
    }
    for (const p of [...plugins].reverse()) await r.pluginState.uninstall(p.manifest.id);
    t.deepEqual(await tables(), before, 'uninstalling every plugin leaves exactly the tables that were there before');
  } finally {
    await app.close();
  }
});
