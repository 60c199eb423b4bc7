/**
 * Typed service tokens, per-plugin handles, entity traits and no module-level state
 * (issue 17): two apps side by side keep their own markdown cache, the PostgreSQL int8
 * parser is set on this app's clients only, and `require('ruche')` answers each plugin
 * folder with the core of the app root that loaded it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import pg from 'pg';
import { Tokens, resolve, type Entities, type Runtime, type Token } from '../../core';
import { aliasCoreModule } from '../../core/plugins/core-alias';
import { validateManifest } from '../../core/plugins/validate';
import { eachDatabase, freshDatabase } from '../helpers/databases';
import { makeApp } from '../helpers/app';

eachDatabase('typed tokens resolve to the app’s own services; plugin handles know their id', async (t, db) => {
  const app = await makeApp(db);
  try {
    const rt = app.app.ruche;
    const entities: Entities = resolve(rt.container, Tokens.Entities);
    t.is(entities, rt.entities);
    // @ts-expect-error a token resolves to its own type only: the activity log is not `Entities`
    const wrong: Entities = resolve(rt.container, Tokens.Activity);
    t.is(wrong as unknown, rt.activity);
    const expected: Partial<Record<keyof typeof Tokens, unknown>> = {
      Config: rt.config,
      Db: rt.db,
      Activity: rt.activity,
      Access: rt.access,
      Scopes: rt.scopes,
      Jobs: rt.jobs,
      PubSub: rt.pubsub,
      Storage: rt.storage,
      Mailer: rt.mailer,
      Users: rt.users,
      Networks: rt.networks,
      I18n: rt.i18n,
      Caches: rt.caches,
      Hooks: rt.hooks,
      PluginState: rt.pluginState,
      Container: rt.container,
      Runtime: rt,
    };
    for (const [name, value] of Object.entries(expected))
      t.is(resolve(rt.container, Tokens[name as keyof typeof Tokens] as Token<unknown>), value, name);
    for (const name of Object.keys(Tokens) as (keyof typeof Tokens)[]) t.not(resolve(rt.container, Tokens[name] as Token<unknown>), undefined, name);

    const root = rt.networks.root().id;
    const messages = rt.plugin('messages');
    t.is(messages.id, 'messages');
    t.is(messages.settings(root).ratePerMinute, 60);
    await rt.pluginState.configure('messages', { ratePerMinute: '12' });
    t.is(messages.settings(root).ratePerMinute, 12, 'the handle reads the stored settings');
    t.true(messages.isEnabled(root));
    t.deepEqual(messages.logger.bindings(), { plugin: 'messages' });
    t.is(rt.plugin('messages'), messages, 'one handle per plugin');
    t.throws(() => rt.plugin('nope'), { message: /no plugin "nope"/ });
    await t.throwsAsync(messages.schedule('nothing', {}), { message: /unknown job kind "messages.nothing"/ });

    t.true(rt.plugins.hasTrait('blog_post', 'commentable'));
    t.true(rt.plugins.hasTrait('topic', 'reactable'));
    t.false(rt.plugins.hasTrait('topic', 'commentable'));
  } finally {
    await app.close();
  }
});

test('entity types declare traits; the core names no plugin (commentable/reactable are refused)', (t) => {
  const base = { id: 'tr', version: '1.0.0', name: 'T', description: 'T', core: '^1.0.0' };
  t.notThrows(() => validateManifest({ ...base, entities: [{ type: 'note', accessLevels: ['public'], traits: ['commentable'] }] }, 'tr'));
  t.throws(() => validateManifest({ ...base, entities: [{ type: 'note', accessLevels: ['public'], commentable: true }] }, 'tr'), {
    message: /commentable/,
  });
});

test('two apps side by side keep their own markdown cache', async (t) => {
  const [a, b] = await Promise.all([freshDatabase('sqlite'), freshDatabase('sqlite')]);
  const [appA, appB] = await Promise.all([makeApp(a), makeApp(b)]);
  try {
    const ra: Runtime = appA.app.ruche;
    const rb: Runtime = appB.app.ruche;
    t.not(ra.markdown, rb.markdown);
    t.is(ra.markdown.render('**hi**'), '<p><strong>hi</strong></p>\n');
    t.is(ra.markdown.cached, 1);
    t.is(rb.markdown.cached, 0, "one app's renders do not fill the other's cache");
  } finally {
    await Promise.all([appA.close(), appB.close()]);
    await Promise.all([a.drop(), b.drop()]);
  }
});

eachDatabase('bigint columns read as numbers on this app’s connections, without touching pg’s global parsers', async (t, db) => {
  const app = await makeApp(db);
  try {
    const row = (await app.app.ruche.db('users').count({ n: '*' }).first()) as { n: unknown };
    t.is(typeof row.n, 'number');
    t.is(pg.types.getTypeParser(20, 'text')('12'), '12', 'pg’s process-wide int8 parser is left as pg ships it');
  } finally {
    await app.close();
  }
});

test("require('ruche') gives each plugin folder the core of the app root that loaded it", (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-alias-'));
  const make = (name: string): { root: string; plugin: string } => {
    const root = path.join(tmp, `root-${name}`);
    fs.mkdirSync(path.join(root, 'dist', 'core'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist', 'core', 'index.js'), `exports.which = '${name}';`);
    const plugin = path.join(tmp, `plugin-${name}`);
    fs.mkdirSync(plugin);
    fs.writeFileSync(path.join(plugin, 'plugin.js'), `exports.which = require('ruche').which;`);
    return { root, plugin };
  };
  const a = make('a');
  const b = make('b');
  aliasCoreModule(a.root, [a.plugin]);
  aliasCoreModule(b.root, [b.plugin]);
  t.is((require(path.join(a.plugin, 'plugin.js')) as { which: string }).which, 'a');
  t.is((require(path.join(b.plugin, 'plugin.js')) as { which: string }).which, 'b');
  fs.rmSync(tmp, { recursive: true, force: true });
});
