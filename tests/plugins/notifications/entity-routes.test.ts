// The core builds the URL of any entity from the `viewRoute` its type declares, so a
// notification about a third-party plugin's content links to it: the notifications plugin
// knows no content plugin. A view route that is not one of the plugin's GET `:id` routes is
// refused at load.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { entityHref, StartupError } from '../../../core';
import { loadPlugins } from '../../../core/plugins/loader';
import { pluginSource, tempPlugins } from '../../fixtures/support';
import { eachApp } from '../../helpers/each-app';
import { NOTE, PLAIN, socialApp } from '../comments/support';

eachApp("a fixture plugin's entity type gets its URL, and a reaction's notification opens it", socialApp, async (t, app) => {
  const { rt } = app;
  const anna = await app.member('anna', 'Anna');
  const bob = await app.member('bob', 'Bob');
  const note = await app.note(anna, 'members');
  const plain = await app.note(anna, 'members', { type: PLAIN });
  t.is(entityHref(rt, { id: note, type: NOTE }), `/fixture/entities/${note}`);
  t.is(entityHref(rt, { id: note, type: NOTE }, '/n/partner'), `/n/partner/fixture/entities/${note}`);
  t.is(entityHref(rt, { id: plain, type: PLAIN }), null, 'a type without a view route has no URL');
  t.is(entityHref(rt, { id: 1, type: 'no_such_type' }), null);

  const b = await app.as('bob');
  t.is((await b.post(`/entities/${note}/react`, { reaction: 'like' })).status, 303);
  const rows = (await rt.db('notifications').where({ user_id: anna }).select('id', 'kind', 'actor_id')) as {
    id: number;
    kind: string;
    actor_id: number;
  }[];
  t.deepEqual(
    rows.map((r) => [r.kind, Number(r.actor_id)]),
    [['likes.reacted', bob]],
  );
  const a = await app.as('anna');
  const res = await a.agent.http.get(`/notifications/${rows[0].id}/open`);
  t.is(res.status, 303);
  t.is(res.headers.location, `/fixture/entities/${note}`);
  // Disabled in the network, the fixture's entities have no URL any more.
  await rt.pluginState.disable('fixture');
  t.is(entityHref(rt, { id: note, type: NOTE, network_id: app.root }), null);
});

test('a view route that is not one of the plugin GET routes taking :id is refused at load', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-approot-'));
  const routes = "[{ name: 'ns.list', method: 'GET', path: '/ns', public: true, handler() {} }]";
  for (const viewRoute of ['ns.nowhere', 'ns.list']) {
    const tmp = tempPlugins({
      ns: pluginSource({ id: "'ns'", routes, entities: `[{ type: 'ns_item', accessLevels: ['members'], viewRoute: '${viewRoute}' }]` }),
    });
    try {
      const err = t.throws(() => loadPlugins({ appRoot: root, dirs: [tmp.dir], nodeModules: [] }), { instanceOf: StartupError });
      t.is(err?.code, 'E_PLUGIN_MANIFEST');
      t.regex(err!.message, new RegExp(`view route of ns_item.*${viewRoute.replace('.', '\\.')}`));
    } finally {
      tmp.remove();
    }
  }
  fs.rmSync(root, { recursive: true, force: true });
});
