/**
 * GET has no side effects (issue 16): every GET route of the route table — the core's and
 * every plugin's, so a route added later is walked by construction — requested by each of
 * the eight actors on the objects of network A, network B and the root (parameters filled
 * from the world, as the scope matrix does), where the object lives and from the actor's
 * own network. After each request the row count of every table must be what it was, and no
 * request may answer a 5xx.
 *
 * Rows a GET may add or remove by design are listed in ALLOWED with the reason, and only when
 * the page was served (a refused or missing page writes nothing at all). A session touched by
 * a request is an update (its row count does not move), so sessions need no entry.
 */
import test from 'ava';
import { SearchIndexer } from '../../plugins/search/indexer';
import { databaseKinds, type DbKind } from '../helpers/databases';
import { changedTables, type Snapshot } from '../helpers/snapshot';
import { targetsOf, walkedRoutes } from './routes';
import { ACTORS, WALK_TIMEOUT_MS, type NetKey, type World } from './world-model';
import { buildWorld } from './world';

/** Route name → tables whose row count it may change by design, with why. */
const ALLOWED: Record<string, { tables: string[]; why: string }> = {
  'discussions.view': { tables: ['topic_reads'], why: 'reading a topic records how far the member has read (the unread marker of topic lists)' },
};

/**
 * Tables any page served to a member may add a row to, with why: the analytics plugin counts
 * one page view per member, network and UTC day (`analytics_views`, never which page), so a
 * member's first page of the day in a network adds it.
 */
const EVERY_PAGE: { tables: string[]; why: string } = { tables: ['analytics_views'], why: 'the day a member viewed a page of the network' };

const worlds = new Map<DbKind, Promise<World>>();

for (const kind of databaseKinds()) {
  test.serial(`every GET route, as every actor, on every object, adds and removes no row [${kind}]`, async (t) => {
    t.timeout(WALK_TIMEOUT_MS);
    if (!worlds.has(kind)) worlds.set(kind, buildWorld(kind));
    const world = await worlds.get(kind)!;
    // The search index is written in the background after the world's writes, never by a GET: let it finish.
    await world.app.ruche.container.resolve(SearchIndexer).settled();
    const violations: string[] = [];
    let requests = 0;
    let routes = 0;
    let before: Snapshot = await world.snap.counts();
    for (const route of walkedRoutes(world).filter((r) => r.method === 'GET')) {
      routes++;
      const byDesign = [...(ALLOWED[route.name]?.tables ?? []), ...EVERY_PAGE.tables];
      for (const target of targetsOf(world, route)) {
        for (const name of ACTORS) {
          const actor = world.actors[name];
          const nets = new Set<NetKey>([target.net]);
          if (target.object && !target.object.named && name !== 'guest') nets.add(actor.home);
          for (const net of nets) {
            const url = `${world.prefix(net)}${target.url}`;
            const res = await actor.agent.http.get(url).set('Accept-Language', 'en');
            requests++;
            const where = `GET ${url} (${route.name}) as ${name}`;
            if (res.status >= 500) violations.push(`${where}: ${res.status}`);
            const after = await world.snap.counts();
            const allowed = res.status < 300 ? byDesign : [];
            const changed = changedTables(before, after).filter((c) => !allowed.includes(c.split(' ')[0]));
            if (changed.length) violations.push(`${where}: status ${res.status}, ${changed.join(', ')}`);
            before = after;
          }
        }
      }
    }
    t.log(`${routes} GET routes, ${requests} requests`);
    t.deepEqual(violations, [], violations.join('\n'));
  });
}

test.after.always(async () => {
  for (const w of worlds.values()) await (await w.catch(() => undefined))?.close();
});
