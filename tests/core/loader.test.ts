/** The plugin loader: discovery, manifest validation, core compatibility, dependency order. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { install, openBase, StartupError, CORE_API_VERSION } from '../../core';
import { discoverPlugins, loadCandidate, loadPlugins } from '../../core/plugins/loader';
import { freshDatabase } from '../helpers/databases';
import { makeApp, testConfig } from '../helpers/app';
import { pluginSource, tempPlugins } from '../fixtures/support';

/** An empty app root, so only the temp plugins are found. */
const EMPTY_ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-approot-'));
const emptyRoot = (): string => EMPTY_ROOT;
test.after.always(() => fs.rmSync(EMPTY_ROOT, { recursive: true, force: true }));

function loadOnly(plugins: Record<string, string>): ReturnType<typeof loadPlugins> {
  const tmp = tempPlugins(plugins);
  try {
    return loadPlugins({ appRoot: emptyRoot(), dirs: [tmp.dir], nodeModules: [] });
  } finally {
    tmp.remove();
  }
}

function refuses(t: ExecutionContext, plugins: Record<string, string>, code: string, ...parts: (string | RegExp)[]): void {
  const err = t.throws(() => loadOnly(plugins), { instanceOf: StartupError });
  t.is(err?.code, code, err?.message);
  for (const part of parts) {
    if (typeof part === 'string') t.true(err!.message.includes(part), `"${err?.message}" should mention ${part}`);
    else t.regex(err!.message, part);
  }
  t.false(err!.message.includes('\n'), 'one line');
}

const route = (fields: string) => `[{ name: 'ok.page', method: 'GET', path: '/ok', handler: () => undefined${fields} }]`;

test('a valid plain-JS plugin folder loads', (t) => {
  const [p] = loadOnly({ ok: pluginSource({ id: "'ok'", routes: route(', public: true') }) });
  t.is(p.manifest.id, 'ok');
  t.is(p.source, 'local');
  t.is(p.manifest.routes?.[0].path, '/ok');
});

test('a bad id is refused naming the plugin and the field', (t) => {
  refuses(t, { bad: pluginSource({ id: "'Bad_Id'" }) }, 'E_PLUGIN_MANIFEST', 'plugin "Bad_Id"', 'field "id"');
});

test('a missing version is refused naming the plugin and the field', (t) => {
  const src = pluginSource({ id: "'noversion'" }).replace("  version: '1.0.0',\n", '');
  refuses(t, { noversion: src }, 'E_PLUGIN_MANIFEST', 'plugin "noversion"', 'field "version"');
  refuses(
    t,
    { badversion: pluginSource({ id: "'badversion'", version: "'one'" }) },
    'E_PLUGIN_MANIFEST',
    'plugin "badversion"',
    'field "version"',
    'semver',
  );
});

test('a route with neither capability nor public (or both) is refused', (t) => {
  refuses(
    t,
    { open: pluginSource({ id: "'ok'", routes: route('') }) },
    'E_PLUGIN_MANIFEST',
    'plugin "ok"',
    'field "routes.0"',
    'capability or public',
  );
  refuses(t, { both: pluginSource({ id: "'ok'", routes: route(", public: true, capability: 'ok.x'") }) }, 'E_PLUGIN_MANIFEST', 'field "routes.0"');
});

test('names outside the plugin namespace and menus to unknown routes are refused', (t) => {
  refuses(
    t,
    { p: pluginSource({ id: "'ns'", permissions: "[{ id: 'other.do', defaultRoles: ['member'], description: 'd' }]" }) },
    'E_PLUGIN_MANIFEST',
    'plugin "ns"',
    '"permissions"',
    'other.do',
  );
  refuses(
    t,
    { r: pluginSource({ id: "'ns'", routes: "[{ name: 'other.page', method: 'GET', path: '/x', public: true, handler() {} }]" }) },
    'E_PLUGIN_MANIFEST',
    'other.page',
  );
  refuses(
    t,
    { m: pluginSource({ id: "'ns'", menus: "[{ menu: 'main', id: 'm', label: 'ns.m', route: 'ns.nowhere' }]" }) },
    'E_PLUGIN_MANIFEST',
    '"menus"',
    'ns.nowhere',
  );
  refuses(t, { u: pluginSource({ id: "'ns'", colour: "'blue'" }) }, 'E_PLUGIN_MANIFEST', 'plugin "ns"', 'colour');
});

test('a plugin for another core version is refused naming both versions', (t) => {
  refuses(
    t,
    { future: pluginSource({ id: "'future'", version: "'3.1.0'", core: "'^2.0.0'" }) },
    'E_PLUGIN_CORE',
    'plugin "future" 3.1.0',
    '^2.0.0',
    `this core is ${CORE_API_VERSION}`,
  );
});

test('module problems are refused with their own codes', (t) => {
  refuses(t, { nodefault: "exports.manifest = { id: 'nodefault' };" }, 'E_PLUGIN_MANIFEST', 'export default');
  refuses(t, { throws: "throw new Error('kaboom at load');" }, 'E_PLUGIN_LOAD', 'kaboom at load', path.sep + 'throws');
  const tmp = tempPlugins({});
  fs.mkdirSync(path.join(tmp.dir, 'tsonly'));
  fs.writeFileSync(path.join(tmp.dir, 'tsonly', 'plugin.ts'), 'export default {};');
  const err = t.throws(() => discoverPlugins({ appRoot: emptyRoot(), dirs: [tmp.dir], nodeModules: [] }), { instanceOf: StartupError });
  t.is(err?.code, 'E_PLUGIN_ENTRY');
  t.true(err!.message.includes('tsonly'));
  tmp.remove();
});

test('plugins are ordered after their dependencies, ties by id', (t) => {
  const dep = (id: string, deps: string[]) => pluginSource({ id: `'${id}'`, dependsOn: JSON.stringify(deps) });
  const ordered = loadOnly({
    c: dep('charlie', ['bravo']),
    b: dep('bravo', ['alpha']),
    a: dep('alpha', []),
    d: dep('delta', []),
    e: dep('echo', ['delta', 'charlie']),
    f: dep('aardvark', ['delta']),
  });
  const ids = ordered.map((p) => p.manifest.id);
  t.deepEqual(ids, ['delta', 'aardvark', 'alpha', 'bravo', 'charlie', 'echo']);
  for (const p of ordered)
    for (const d of p.manifest.dependsOn ?? []) t.true(ids.indexOf(d) < ids.indexOf(p.manifest.id), `${d} before ${p.manifest.id}`);
});

test('a missing dependency, a cycle and a duplicate id are refused naming the plugins', (t) => {
  refuses(t, { a: pluginSource({ id: "'needy'", dependsOn: "['ghost']" }) }, 'E_PLUGIN_DEPENDENCY', '"needy"', '"ghost"', 'not installed');
  const cyc = {
    x: pluginSource({ id: "'xray'", dependsOn: "['yankee']" }),
    y: pluginSource({ id: "'yankee'", dependsOn: "['zulu']" }),
    z: pluginSource({ id: "'zulu'", dependsOn: "['xray']" }),
  };
  refuses(t, cyc, 'E_PLUGIN_CYCLE', 'xray → yankee → zulu → xray');
  refuses(t, { self: pluginSource({ id: "'selfish'", dependsOn: "['selfish']" }) }, 'E_PLUGIN_MANIFEST', 'depend on itself');
  refuses(
    t,
    { one: pluginSource({ id: "'twin'" }), two: pluginSource({ id: "'twin'" }) },
    'E_PLUGIN_DUPLICATE',
    '"twin"',
    `${path.sep}one`,
    `${path.sep}two`,
  );
});

test('npm packages named ruche-plugin-* are discovered through their main', (t) => {
  const nm = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-npm-')), 'node_modules');
  const pkg = path.join(nm, 'ruche-plugin-x');
  fs.mkdirSync(path.join(pkg, 'lib'), { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'ruche-plugin-x', version: '0.4.0', main: 'lib/index.js' }));
  fs.writeFileSync(path.join(pkg, 'lib', 'index.js'), pluginSource({ id: "'npmx'", version: "'0.4.0'" }));
  fs.mkdirSync(path.join(nm, 'left-pad'));
  fs.writeFileSync(path.join(nm, 'left-pad', 'index.js'), 'module.exports = 1;');
  try {
    const found = discoverPlugins({ appRoot: emptyRoot(), nodeModules: [nm] });
    t.is(found.length, 1);
    t.is(found[0].source, 'npm');
    t.is(found[0].entry, path.join(pkg, 'lib', 'index.js'));
    const loaded = loadCandidate(found[0]);
    t.is(loaded.manifest.id, 'npmx');
    t.is(loaded.dir, pkg);
    t.deepEqual(
      loadPlugins({ appRoot: emptyRoot(), nodeModules: [nm, nm] }).map((p) => p.manifest.id),
      ['npmx'],
      'a folder listed twice is read once',
    );
  } finally {
    fs.rmSync(path.dirname(nm), { recursive: true, force: true });
  }
});

test('a route requiring an unknown capability stops start-up naming plugin, route and capability', async (t) => {
  const tmp = tempPlugins({
    capless: pluginSource({
      id: "'capless'",
      routes: "[{ name: 'capless.page', method: 'GET', path: '/c', capability: 'capless.nothing', handler() {} }]",
    }),
  });
  const db = await freshDatabase('sqlite');
  try {
    const base = await openBase(testConfig(db, { plugins: { dirs: [tmp.dir] } }), { cwd: db.dataDir });
    const err = await t.throwsAsync(install(base), { instanceOf: StartupError });
    await base.close();
    t.is(err?.code, 'E_PLUGIN_MANIFEST');
    for (const part of ['"capless"', 'capless.page', 'capless.nothing']) t.true(err!.message.includes(part), err?.message);
  } finally {
    tmp.remove();
    await db.drop();
  }
});

test("an npm plugin in the working directory's node_modules is loaded by the app and serves its routes", async (t) => {
  const db = await freshDatabase('sqlite');
  const pkg = path.join(db.dataDir, 'node_modules', 'ruche-plugin-npmhello');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'ruche-plugin-npmhello', main: 'main.js' }));
  const route = "[{ name: 'npmhello.hi', method: 'GET', path: '/npmhello', public: true, handler: () => ({ json: { from: 'npm' } }) }]";
  fs.writeFileSync(path.join(pkg, 'main.js'), pluginSource({ id: "'npmhello'", routes: route }));
  const made = await makeApp(db);
  try {
    const plugin = made.app.ruche.plugins.get('npmhello');
    t.is(plugin?.source, 'npm');
    t.is((await made.agent().http.get('/npmhello')).status, 404, 'installed but not enabled');
    await made.app.ruche.pluginState.enable('npmhello');
    t.deepEqual((await made.agent().http.get('/npmhello')).body, { from: 'npm' });
  } finally {
    await made.close();
    await db.drop();
  }
});
