/**
 * The router matches a request against the routes of its path's first segment only (issue 18):
 * the answers are those of one router over every route — declaration order, parameters in the
 * first segment, letter case, a trailing slash, a path no route spells.
 */
import { eachDatabase } from '../helpers/databases';
import { FIXTURE_PLUGINS, makeApp } from '../helpers/app';
import { pluginSource, tempPlugins } from '../fixtures/support';

const route = (name: string, path: string, answer: string) =>
  `{ name: '${name}', method: 'GET', path: '${path}', public: true, async handler(ctx) { return { json: { route: '${answer}', params: ctx.params } }; } }`;

eachDatabase('routes grouped by first segment answer as one router over them all', async (t, db) => {
  const tmp = tempPlugins({
    routed: pluginSource({
      id: "'routed'",
      routes: `[
        ${route('routed.fixed', '/routed-a/fixed', 'fixed')},
        ${route('routed.param', '/:first/fixed', 'param')},
        ${route('routed.other', '/routed-a/:id', 'other')},
        ${route('routed.dotted', '/routed.b', 'dotted')}
      ]`,
    }),
  });
  t.teardown(() => tmp.remove());
  const made = await makeApp(db, { config: { plugins: { dirs: [FIXTURE_PLUGINS, tmp.dir] } } });
  t.teardown(() => made.close());
  await made.app.ruche.pluginState.enable('routed');
  const a = made.agent().http;
  const get = async (path: string) => {
    const res = await a.get(path);
    return res.status === 200 ? (res.body as { route: string; params: Record<string, string> }) : res.status;
  };
  // Declared first, the fixed route wins over the parameter route that also matches.
  t.deepEqual(await get('/routed-a/fixed'), { route: 'fixed', params: {} });
  // A route whose first segment is a parameter is offered under every first segment...
  t.deepEqual(await get('/routed-a/x'), { route: 'other', params: { id: 'x' } });
  t.deepEqual(await get('/elsewhere/fixed'), { route: 'param', params: { first: 'elsewhere' } });
  // ...including one that is not a plain word, and the core's own (`/groups` is a plugin's).
  t.deepEqual(await get('/%C3%A9t%C3%A9/fixed'), { route: 'param', params: { first: 'été' } });
  t.deepEqual(await get('/login/fixed'), { route: 'param', params: { first: 'login' } });
  // Letter case and a trailing slash are ignored, as a single router does.
  t.deepEqual(await get('/ROUTED-A/Fixed'), { route: 'fixed', params: {} });
  t.deepEqual(await get('/routed-a/fixed/'), { route: 'fixed', params: {} });
  t.deepEqual(await get('/Routed.B'), { route: 'dotted', params: {} });
  // Nothing spells these: the 404 of any unknown path.
  t.is(await get('/routed.bx'), 404);
  t.is(await get('/routed-a'), 404);
  t.is(await get('/nothing/here/at/all'), 404);
  // The core's pages still answer under their own segment.
  t.is((await a.get('/login')).status, 200);
  t.is((await a.get('/LOGIN')).status, 200);
});
