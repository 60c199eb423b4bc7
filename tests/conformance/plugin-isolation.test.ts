// Plugins stand alone (issue 17). For every bundled plugin P:
//  (a) an app where only P and its dependsOn closure are enabled — at the root, and in a
//      sub-network of an app where everything else stays enabled at the root — answers P's
//      GET pages (200/3xx/401/403/404, never a 5xx);
//  (b) an app whose plugins/ folder lacks P (a temporary app root holding copies of the other
//      plugins' compiled code, so `require('../P/...')` really fails) loads every plugin that
//      does not depend on P, and their GET pages answer.
// Plus: a plugin names another plugin's hooks.ts/api.ts only along dependsOn or in its
// declared `integrations`. SQLite runs every plugin; PostgreSQL a sample (SAMPLE), to keep
// the file near two minutes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { createApp, install, openBase, StartupError, type Runtime } from '../../core';
import { loadPlugins } from '../../core/plugins/loader';
import { pluginSource, tempPlugins } from '../fixtures/support';
import { loadInstancePlugins } from '../../core/kernel';
import { ADMIN, makeAgent, REPO_ROOT, testConfig } from '../helpers/app';
import { databaseKinds, freshDatabase, type DbKind } from '../helpers/databases';

const registry = loadInstancePlugins(testConfig({ kind: 'sqlite', url: 'sqlite::memory:', dataDir: os.tmpdir() }), { cwd: REPO_ROOT });
const BUNDLED = registry.list().map((p) => p.manifest.id);
const SAMPLE = ['groups', 'messages', 'profiles'];

/** P and every plugin it needs, transitively. */
function closure(id: string): Set<string> {
  const out = new Set<string>();
  const visit = (x: string): void => {
    if (out.has(x)) return;
    out.add(x);
    for (const d of registry.get(x)?.manifest.dependsOn ?? []) visit(d);
  };
  visit(id);
  return out;
}
const dependsOn = (q: string, p: string): boolean => q !== p && closure(q).has(p);

/** A route path with its parameters filled with values that name nothing (or the admin). */
const fill = (p: string): string =>
  p.replace(/:(\w+)/g, (_m, name: string) => (name === 'username' ? ADMIN.username : /id$/i.test(name) ? '999999' : 'none'));

/** GETs every GET route of `ids` as the signed-in admin under `base`; answers the ones that failed. */
async function smoke(rt: Runtime, agent: ReturnType<typeof makeAgent>, ids: Iterable<string>, base = ''): Promise<string[]> {
  const failed: string[] = [];
  for (const id of ids) {
    for (const r of rt.plugins.get(id)?.manifest.routes ?? []) {
      if (r.method !== 'GET') continue;
      const url = base + fill(r.path);
      const res = await agent.http.get(url);
      if (res.status >= 500 || ![200, 301, 302, 303, 304, 400, 401, 403, 404].includes(res.status)) failed.push(`${id} ${url} → ${res.status}`);
    }
  }
  const home = await agent.http.get(base + '/');
  if (home.status >= 500) failed.push(`home ${base}/ → ${home.status}`);
  return failed;
}

/** Disables (in reverse dependency order) every plugin outside `keep` in `networkId`. */
async function keepOnly(rt: Runtime, keep: Set<string>, networkId?: number): Promise<void> {
  for (const p of [...rt.plugins.list()].reverse()) {
    const id = p.manifest.id;
    if (!keep.has(id) && rt.pluginState.isEnabled(id, networkId)) await rt.pluginState.disable(id, networkId);
  }
  for (const id of keep) {
    // A plugin off by default (files) is enabled at the root first, which a sub-network follows.
    if (networkId !== undefined && !rt.pluginState.isEnabled(id)) await rt.pluginState.enable(id);
    if (!rt.pluginState.isEnabled(id, networkId)) await rt.pluginState.enable(id, networkId);
  }
}

type Agent = ReturnType<typeof makeAgent>;

/** A fresh database, installed and served from `appRoot` (default: this repository), with the admin signed in. */
async function withApp(kind: DbKind, appRoot: string | undefined, fn: (rt: Runtime, agent: Agent) => Promise<void>): Promise<void> {
  const db = await freshDatabase(kind);
  const config = testConfig(db);
  try {
    const base = await openBase(config, { cwd: db.dataDir, appRoot });
    try {
      await install(base, { siteName: 'Test network', locale: 'en', admin: ADMIN });
    } finally {
      await base.close();
    }
    const app = await createApp(config, { cwd: db.dataDir, appRoot });
    try {
      const agent = makeAgent(app);
      await agent.login(ADMIN.username, ADMIN.password);
      await fn(app.ruche, agent);
    } finally {
      await app.close();
    }
  } finally {
    await db.drop();
  }
}

/**
 * A temporary app root without `absent` (nor the plugins that depend on it): the others'
 * sources are linked (templates, i18n, assets), their compiled code copied, so that a
 * `require('../<absent>/...')` fails as it would for a plugin installed alone.
 */
function rootWithout(absent: string): { dir: string; present: string[]; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ruche-without-${absent}-`));
  const present = BUNDLED.filter((id) => id !== absent && !dependsOn(id, absent));
  fs.mkdirSync(path.join(dir, 'plugins'));
  fs.mkdirSync(path.join(dir, 'dist', 'plugins'), { recursive: true });
  for (const id of present) {
    fs.symlinkSync(path.join(REPO_ROOT, 'plugins', id), path.join(dir, 'plugins', id));
    fs.cpSync(path.join(REPO_ROOT, 'dist', 'plugins', id), path.join(dir, 'dist', 'plugins', id), { recursive: true });
  }
  for (const link of ['core', 'themes', 'node_modules', 'package.json']) fs.symlinkSync(path.join(REPO_ROOT, link), path.join(dir, link));
  fs.symlinkSync(path.join(REPO_ROOT, 'dist', 'core'), path.join(dir, 'dist', 'core'));
  return { dir, present, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function alone(kind: DbKind, id: string): void {
  test(`${id} alone with its dependencies, at the root and in a sub-network [${kind}]`, async (t) => {
    const keep = closure(id);
    await withApp(kind, undefined, async (rt, agent) => {
      const lyon = await rt.networks.create({ slug: 'lyon', name: 'Lyon' });
      await keepOnly(rt, keep, lyon.id);
      t.deepEqual(await smoke(rt, agent, keep, '/n/lyon'), [], 'in a sub-network');
      await keepOnly(rt, keep);
      for (const p of rt.plugins.list()) t.is(rt.pluginState.isEnabled(p.manifest.id), keep.has(p.manifest.id), p.manifest.id);
      t.deepEqual(await smoke(rt, agent, keep), [], 'at the root');
    });
  });
}

function without(kind: DbKind, id: string): void {
  test(`every plugin not depending on ${id} loads and answers without its folder [${kind}]`, async (t) => {
    const root = rootWithout(id);
    try {
      await withApp(kind, root.dir, async (rt, agent) => {
        t.deepEqual(
          rt.plugins
            .list()
            .map((p) => p.manifest.id)
            .sort(),
          [...root.present].sort(),
        );
        const enabled = root.present.filter((p) => registry.get(p)?.manifest.defaultEnabled);
        for (const p of enabled) t.true(rt.pluginState.isEnabled(p), `${p} enabled`);
        t.deepEqual(await smoke(rt, agent, enabled), []);
      });
    } finally {
      root.remove();
    }
  });
}

for (const kind of databaseKinds()) {
  for (const id of kind === 'sqlite' ? BUNDLED : SAMPLE) {
    alone(kind, id);
    without(kind, id);
  }
}

test('a plugin reaches another one only along dependsOn or through its declared integrations', (t) => {
  const problems: string[] = [];
  for (const p of registry.list()) {
    const id = p.manifest.id;
    const allowed = new Set([...closure(id), ...(p.manifest.integrations ?? [])]);
    const dir = path.join(REPO_ROOT, 'plugins', id);
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const src = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const m of src.matchAll(/from '\.\.\/([a-z-]+)\/([\w-]+)'|import '\.\.\/([a-z-]+)\/([\w-]+)'/g)) {
        const other = m[1] ?? m[3];
        const target = m[2] ?? m[4];
        if (!allowed.has(other)) problems.push(`${id}/${file} → ${other}/${target} (neither in dependsOn nor in integrations)`);
        else if (!['hooks', 'api'].includes(target)) problems.push(`${id}/${file} → ${other}/${target} (not its contract: hooks.ts or api.ts)`);
      }
    }
  }
  t.deepEqual(problems, []);
});

test('integrations list optional plugins only: not the plugin itself, not a dependency', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-approot-'));
  try {
    for (const [ints, deps] of [
      ["['ns']", '[]'],
      ["['other']", "['other']"],
    ]) {
      const tmp = tempPlugins({ ns: pluginSource({ id: "'ns'", integrations: ints, dependsOn: deps }) });
      try {
        const err = t.throws(() => loadPlugins({ appRoot: root, dirs: [tmp.dir], nodeModules: [] }), { instanceOf: StartupError });
        t.is(err?.code, 'E_PLUGIN_MANIFEST');
        t.regex(err!.message, /field "integrations"/);
      } finally {
        tmp.remove();
      }
    }
    const tmp = tempPlugins({ ns: pluginSource({ id: "'ns'", integrations: "['groups']" }) });
    try {
      t.deepEqual(loadPlugins({ appRoot: root, dirs: [tmp.dir], nodeModules: [] })[0].manifest.integrations, ['groups'], 'absent is fine: optional');
    } finally {
      tmp.remove();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
