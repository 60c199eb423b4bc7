import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { assertOneLineError, run, tempDir } from './helpers';
import { installed, setLocalConfig } from './setup';

test('theme list marks the active theme; theme use switches and refuses unknown themes', async (t) => {
  const i = await installed(t, 'sqlite');
  const list = await i.ruche('theme', 'list');
  t.is(list.code, 0, list.stderr);
  t.regex(list.stdout, /^\* +default +\S.* +- /m);
  t.regex(list.stdout, /^ +slate +Slate +default +A test theme$/m);

  const unknown = await i.ruche('theme', 'use', 'neon');
  assertOneLineError(t, unknown, /there is no theme "neon" \(available: .*default.*slate.*\)/);

  const use = await i.ruche('theme', 'use', 'slate');
  t.is(use.code, 0, use.stderr);
  t.regex(use.stdout, /The root network now uses the theme "slate"/);
  t.regex((await i.ruche('theme', 'list')).stdout, /^\* +slate +Slate/m);
  t.is((await i.db()('networks').where({ slug: 'root' }).first('theme')).theme, 'slate');
  assertOneLineError(t, await i.ruche('theme', 'use', 'slate', '--network', 'nowhere'), /there is no network "nowhere"/);
});

test('theme commands before install say so in one line', async (t) => {
  const cwd = tempDir(t);
  const r = await run(['theme', 'list'], cwd, { RUCHE_SECRET: 'x'.repeat(40) });
  assertOneLineError(t, r, /E_NOT_INSTALLED: .*run `ruche install`/);
});

test('doctor is all OK on a fresh install', async (t) => {
  const i = await installed(t, 'sqlite');
  const r = await i.ruche('doctor');
  t.is(r.code, 0, r.stdout);
  const lines = r.stdout.trim().split('\n');
  t.true(
    lines.every((l) => l.startsWith('OK   ')),
    r.stdout,
  );
  for (const check of [
    'config valid (config/local.json; serves 127.0.0.1:3000)',
    'data dir writable',
    'database reachable',
    'Ruche installed',
    'no pending migrations',
    'plugins load',
    'default theme present',
    'secret length',
  ]) {
    t.true(
      lines.some((l) => l.startsWith(`OK   ${check}`)),
      `${check} in\n${r.stdout}`,
    );
  }
  t.regex(r.stdout, /plugins load \(\d+: .*demo-extra/);
  t.regex(r.stdout, /secret length \(64 characters\)/);
});

test('doctor fails on a config file that is not JSON', async (t) => {
  const cwd = tempDir(t);
  fs.mkdirSync(path.join(cwd, 'config'));
  fs.writeFileSync(path.join(cwd, 'config', 'local.json'), '{"port": 3000,');
  const r = await run(['doctor'], cwd);
  t.is(r.code, 1);
  t.regex(r.stdout, /^FAIL config valid: E_CONFIG: config file .*local\.json is not valid JSON/m);
});

test('doctor fails on an invalid value and names the key', async (t) => {
  const i = await installed(t, 'sqlite');
  setLocalConfig(i, { port: 'abc' });
  const r = await i.ruche('doctor');
  t.is(r.code, 1);
  t.regex(r.stdout, /^FAIL config valid: E_CONFIG: invalid configuration \(config\/local\.json\): port: /m);
});

test('doctor fails on an https site that does not trust its proxy', async (t) => {
  const i = await installed(t, 'sqlite');
  setLocalConfig(i, { siteUrl: 'https://community.example.com' });
  const r = await i.ruche('doctor');
  t.is(r.code, 1);
  t.regex(r.stdout, /^FAIL proxy settings: siteUrl is https:\/\/community\.example\.com but trustProxy is false/m);
  setLocalConfig(i, { trustProxy: true });
  t.regex((await i.ruche('doctor')).stdout, /^OK   proxy settings \(https:\/\/community\.example\.com, behind a trusted proxy\)/m);
});

test('doctor reports a broken plugin and a missing database, each on its own line', async (t) => {
  const cwd = tempDir(t);
  fs.mkdirSync(path.join(cwd, 'plugins', 'broken'), { recursive: true });
  fs.writeFileSync(path.join(cwd, 'plugins', 'broken', 'plugin.js'), "module.exports.default = { id: 'broken', version: 'one' };");
  const r = await run(['doctor'], cwd, { RUCHE_SECRET: 'x'.repeat(40), RUCHE_PLUGINS__DIRS: JSON.stringify([path.join(cwd, 'plugins')]) });
  t.is(r.code, 1);
  t.regex(r.stdout, /^OK   config valid \(no file at config\/local\.json: defaults and environment; serves 127\.0\.0\.1:3000\)$/m);
  t.regex(r.stdout, /^OK   secret length \(40 characters\)$/m);
  t.regex(r.stdout, /^FAIL plugins load: E_PLUGIN_MANIFEST: plugin "broken" .*invalid manifest field "version"/m);
  t.regex(r.stdout, /^FAIL database reachable: .*ruche\.sqlite does not exist; run `ruche install`$/m);
  t.regex(r.stdout, /^OK   default theme present/m);
});

test('doctor fails when the database cannot be reached', async (t) => {
  const cwd = tempDir(t);
  const r = await run(['doctor'], cwd, { RUCHE_SECRET: 'x'.repeat(40), RUCHE_DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/nothing' });
  t.is(r.code, 1);
  t.regex(r.stdout, /^FAIL database reachable: E_DATABASE: cannot reach the database/m);
  t.notRegex(r.stdout, /secret@/, 'no password printed');
});
