/**
 * The API access matrix (issue 25): every GET route of the JSON API — the core's and every
 * plugin's, read from the route table, so a route added later is walked by construction — is
 * asked by each actor of the security world (with a read token of their own; the guest with
 * none), on content of every access level of each network, through the content's network and
 * the actor's own (every network for a route without parameters). Its answer must be that of
 * the page the route declares (`api.page`) for the same actor at the same address: the same
 * status, a page's redirect to the sign-in form being the API's 401. For a list (a route
 * without parameters), the content of the matrix it holds must be what the page shows.
 *
 * The content: in each network, the author of its world content writes a status at each
 * access level (the group level in the network's group), and a discussion topic and a
 * published blog post at each level they take; each holds a mark of its own that the lists
 * are searched for.
 */
import test from 'ava';
import request from 'supertest';
import type { Response } from 'supertest';
import { databaseKinds, type DbKind } from '../helpers/databases';
import { ACCESS_LEVELS } from '../helpers/who-sees';
import { targetsOf, walkedRoutes, type ObjectKind, type WalkedRoute } from './routes';
import { ACTORS, WALK_TIMEOUT_MS, AUTHOR, SCOPES, problems, type Actor, type NetKey, type Scope, type World } from './world-model';
import { buildWorld } from './world';

const NETS: NetKey[] = ['root', 'A', 'B', 'P'];

/** Content of each access level, by the kind of object a route parameter names. */
type Variants = Partial<Record<ObjectKind, Record<Scope, { id: string; level: string }[]>>>;

interface MatrixWorld {
  world: World;
  tokens: Map<Actor['name'], string>;
  variants: Variants;
  /** Every mark written, to search the lists for. */
  marks: string[];
}

const markOf = (kind: string, scope: Scope, level: string): string => `mark${kind}${scope}${level}`.toLowerCase();

/** Writes the content of every access level through the pages, as each network's author. */
async function writeLevels(world: World): Promise<Pick<MatrixWorld, 'variants' | 'marks'>> {
  const statuses = {} as Record<Scope, { id: string; level: string }[]>;
  const topics = {} as Record<Scope, { id: string; level: string }[]>;
  const blogs = {} as Record<Scope, { id: string; level: string }[]>;
  const marks: string[] = [];
  const newest = async (table: string): Promise<string> => String((await world.db(table).max({ m: 'entity_id' }).first())?.m);
  for (const scope of SCOPES) {
    const author = world.actors[AUTHOR[scope]];
    const group = world.objects[scope].group.value;
    statuses[scope] = [];
    topics[scope] = [];
    blogs[scope] = [];
    for (const level of ACCESS_LEVELS) {
      const container = level === 'group' ? { container: group } : {};
      for (const [kind, path, fields, table, into] of [
        ['status', '/status', { body: `A status ${markOf('status', scope, level)}` }, 'status_posts', statuses],
        ['topic', '/discussions', { title: `A topic ${markOf('topic', scope, level)}`, body: 'Words.' }, 'discussion_topics', topics],
        ['blog', '/blogs', { title: `A post ${markOf('blog', scope, level)}`, body: 'Words.', status: 'published' }, 'blog_posts', blogs],
      ] as const) {
        const res = await author.agent.http
          .post(`${world.prefix(scope)}${path}`)
          .type('form')
          .set('Accept-Language', 'en')
          .send({ _csrf: author.token, access: level, ...container, ...fields });
        // A level the form does not offer (a topic is never private or friends-only; the root has no "network") is left out.
        if (res.status >= 400) continue;
        into[scope].push({ id: await newest(table), level });
        marks.push(markOf(kind, scope, level));
      }
    }
  }
  return { variants: { status: statuses, apiStatus: statuses, topic: topics, blog: blogs }, marks };
}

async function buildMatrix(kind: DbKind): Promise<MatrixWorld> {
  // The walk asks far more than a client's minute allows: the rate limit is not what is tested here.
  const world = await buildWorld(kind, { api: { requestsPerMinute: 1_000_000 } });
  const tokens = new Map<Actor['name'], string>();
  for (const name of ACTORS) {
    const id = world.actors[name].userId;
    if (id !== null) tokens.set(name, (await world.app.ruche.apiTokens.create(id, 'API matrix', 'read')).token);
  }
  return { world, tokens, ...(await writeLevels(world)) };
}

const worlds = new Map<DbKind, Promise<MatrixWorld>>();
const matrixOf = (kind: DbKind): Promise<MatrixWorld> => {
  if (!worlds.has(kind)) worlds.set(kind, buildMatrix(kind));
  return worlds.get(kind)!;
};

/** A page's answer as the API would give it: a redirect to the sign-in form is a 401. */
const asApiStatus = (page: Response): number =>
  page.status >= 300 && page.status < 400 && /\/login\b/.test(page.headers.location ?? '') ? 401 : page.status;

interface Pair {
  route: WalkedRoute;
  page: WalkedRoute;
  /** Path parameters' values (one object per case). */
  cases: { values: Record<string, string>; net: NetKey; label: string }[];
}

/** The GET routes of the API, each with its page and the objects to ask about; problems of the declarations. */
function pairsOf(world: World, variants: Variants): { pairs: Pair[]; undeclared: string[] } {
  const routes = walkedRoutes(world);
  const byName = new Map(routes.map((r) => [r.name, r]));
  const pairs: Pair[] = [];
  const undeclared: string[] = [];
  for (const route of routes) {
    if (route.method !== 'GET' || !route.def.api) continue;
    const pageName = route.def.api.page;
    if (pageName === false) continue;
    const page = pageName ? byName.get(pageName) : undefined;
    if (!page || page.method !== 'GET' || page.def.api) {
      undeclared.push(`${route.name}: api.page ${pageName === undefined ? 'is not declared' : `"${pageName}" is not a GET page route`}`);
      continue;
    }
    const missing = route.params.filter((p) => !page.params.includes(p));
    if (missing.length) {
      undeclared.push(`${route.name}: its page ${page.name} does not take :${missing.join(', :')}`);
      continue;
    }
    if (!route.params.length) {
      pairs.push({ route, page, cases: NETS.map((net) => ({ values: {}, net, label: 'the list' })) });
      continue;
    }
    const cases: Pair['cases'] = [];
    for (const target of targetsOf(world, route)) {
      const [param] = route.params;
      const scope = target.object?.scope;
      const levels = scope && scope !== 'installation' && target.kind ? variants[target.kind]?.[scope] : undefined;
      const values = levels ?? [{ id: target.object?.value ?? '', level: 'as made' }];
      for (const v of values) cases.push({ values: { [param]: v.id }, net: target.net, label: `${target.scope}'s ${target.kind} (${v.level})` });
    }
    pairs.push({ route, page, cases });
  }
  return { pairs, undeclared };
}

const fill = (path: string, values: Record<string, string>): string =>
  path.replace(/:(\w+)(\([^)]*\))?\??/g, (_m, name: string) => encodeURIComponent(values[name] ?? ''));

for (const kind of databaseKinds()) {
  test.serial(`API access matrix: every GET route of the API answers each actor as its page does [${kind}]`, async (t) => {
    t.timeout(WALK_TIMEOUT_MS);
    const m = await matrixOf(kind);
    const { world } = m;
    const { pairs, undeclared } = pairsOf(world, m.variants);
    t.deepEqual(undeclared, [], 'every GET route of the API names the page it answers like');
    t.true(pairs.length >= 8, `the walk finds the API's routes (${pairs.length})`);
    const api = request(world.app.callback());
    const violations: string[] = [];
    let requests = 0;
    for (const { route, page, cases } of pairs) {
      for (const c of cases) {
        for (const name of ACTORS) {
          const actor = world.actors[name];
          const nets = route.params.length ? new Set<NetKey>([c.net, actor.home]) : [c.net];
          for (const net of nets) {
            const base = world.prefix(net);
            const token = m.tokens.get(name);
            const call = api.get(`${base}${fill(route.path, c.values)}`).set('Accept-Language', 'en');
            const [viaApi, viaPage] = await Promise.all([
              token ? call.set('authorization', `Bearer ${token}`) : call,
              actor.agent.http.get(`${base}${fill(page.path, c.values)}`).set('Accept-Language', 'en'),
            ]);
            requests += 2;
            const where = `${route.name} ${base}${fill(route.path, c.values)} as ${name} on ${c.label}`;
            const expected = asApiStatus(viaPage);
            if (viaApi.status !== expected) {
              violations.push(
                `${where}: the API answered ${viaApi.status}, the page ${page.name} ${viaPage.status} ${viaPage.status >= 400 ? problems(viaPage.text) : ''}`,
              );
              continue;
            }
            if (route.params.length || viaApi.status !== 200) continue;
            const shown = m.marks.filter((mark) => viaPage.text.includes(mark));
            const listed = m.marks.filter((mark) => viaApi.text.includes(mark));
            if (shown.join() !== listed.join())
              violations.push(`${where}: the API lists [${listed.join(', ')}], the page shows [${shown.join(', ')}]`);
          }
        }
      }
    }
    t.log(`${pairs.length} API routes, ${requests} requests`);
    t.deepEqual(violations, [], violations.join('\n'));
  });
}

test.after.always(async () => {
  for (const w of worlds.values()) await (await w.catch(() => undefined))?.world.close();
});
