/**
 * The scope matrix (issue 16): every state-changing route and every admin page (and page of a stated rule) of the route
 * table — the core's and every plugin's, so a route added later is walked by construction —
 * tried by each of the eight actors on objects owned by network A, network B and the
 * installation, on SQLite and PostgreSQL.
 *
 * Who may act is derived from rules (tests/security/routes.ts: `ruleOf`, `mayAct`), not listed
 * per actor. Every request is followed by a snapshot of the whole database (row count and
 * checksum of every table, one statement): an actor the rules refuse must change nothing,
 * wherever they send the request (the object's network, or their own network naming an
 * object of another); nobody gets a 5xx. Then, on each target, the least powerful permitted
 * actor acts and must really change rows — a matrix where every request fails validation
 * would prove nothing; admin pages (and GET pages of a stated rule: routes.ts `gatedPage`) must answer it with the page. Refused actors go first on every route,
 * before anyone is allowed to delete anything.
 *
 * Before both, attached files (issue 20): the page, download and thumbnail of a photo attached to
 * a status post in each scope's group, with the post set to every access level in turn, requested
 * by every actor from the post's network and from their own — answered exactly when the post's own
 * page is, and as the levels' rules say at both ends (private, group, network); and a photo
 * attached to a message, its conversation's participants' only (not the admins', not root's).
 */
import test from 'ava';
import { ACCESS_LEVELS, type AccessLevel } from '../../core';
import { SearchIndexer } from '../../plugins/search/indexer';
import { databaseKinds, type DbKind } from '../helpers/databases';
import { changedTables, type Snapshot } from '../helpers/snapshot';
import type { Response } from 'supertest';
import { ROUTE_FILES, bodyFor, targetsOf, walkedRoutes, type Target, type WalkedRoute } from './routes';
import { gatedPage, mayAct, ruleOf, type Rule } from './rules';
import { ACTORS, WALK_TIMEOUT_MS, AUTHOR, SCOPES, matrixImage, problems, type Actor, type NetKey, type Scope, type World } from './world-model';
import { buildWorld } from './world';

/** The order permitted actors act in: the least powerful first, so the sample tests the weakest permitted. */
const WEAKEST_FIRST = ['member', 'coadmin', 'owner', 'partner', 'adminA', 'adminB', 'root'] as const;

/**
 * Permitted requests that change no row by design, so that their sample is not asked to:
 *   core.locale            the language choice of a guest is a cookie
 */
const NO_ROW_BY_DESIGN = new Set(['core.locale']);

/**
 * Permitted requests the walk sends but does not sample, because succeeding would end the walk's
 * own sessions: asking to delete an account (one's own, or a member's as an admin) signs that
 * person out everywhere. Sent without the password or confirmation they need, they are refused
 * (422) and change nothing; tests/core/member-data.test.ts covers them succeeding.
 *   core.account.delete.request   the member's "Delete my account"
 *   core.deleteMember.request     an admin deleting a member's account
 * And one whose change the walk has already made by another route:
 *   notifications.api.read        the API's "mark read" of the notification the page's
 *                                 notifications.read marked first (tests/plugins/notifications/api
 *                                 covers the API marking it, and refusing another member's)
 *   groups.api.leave              the API's leave of the open group the page's groups.leave left
 *                                 first (tests/plugins/groups/api covers the API leaving, and its refusals)
 *   connections.api.*             the API's follow, unfollow, connect, disconnect, accept, decline and
 *                                 cancel of the person or request the page's twin acted on first
 *                                 (tests/plugins/connections/api covers each changing rows, and its refusals)
 */
const SAMPLED_ELSEWHERE = new Set([
  'core.account.delete.request',
  'core.deleteMember.request',
  'notifications.api.read',
  'groups.api.leave',
  ...['follow', 'unfollow', 'connect', 'disconnect', 'request.accept', 'request.decline', 'request.cancel'].map((a) => `connections.api.${a}`),
]);

/** Where the permitted actors' requests come in the second pass: what removes objects others use goes last. */
function laterRank(route: WalkedRoute, target: Target): number {
  const n = route.name;
  // A new charter holds every member until they accept it: saved last, then accepted.
  if (n === 'core.charter.save') return 10;
  if (n === 'core.charter.accept') return 11;
  // Signing out everywhere ends the actor's own session: the very last.
  if (n === 'core.account.sessions.everywhere') return 13;
  // A new password signs out the member's other sessions: last of the account's changes.
  if (n === 'core.account.password') return 9.5;
  if (/^core\.account\.(email|language)$/.test(n)) return 9;
  if (/^groups\.(delete|transfer)$/.test(n)) return 8;
  // What changes the rules for everyone in a network: its plugins, settings, grants. A plugin
  // is disabled (the root first, as everywhere) before it is enabled again.
  if (n === 'admin.plugins.disable') return 6.9;
  // The members console ends a member's sessions before changing their role or suspending them (both end them too).
  if (n === 'admin.member.sessions.end') return 6.95;
  // A bot is deleted once its tokens are created and revoked (the rest of the admin area's rank).
  if (n === 'admin.bot.delete') return 7.5;
  if (/^(admin|subnetworks)\./.test(n) && route.method !== 'GET' && !route.def.public) return 7;
  // The API's status goes once the API's comment and reaction on it are deleted and withdrawn.
  if (n === 'activity.api.delete') return 6.5;
  if (/delete|withdraw|remove/.test(n)) return target.kind === 'comment' || target.kind === 'reply' ? 5 : 6;
  if (
    /(unfollow|unreact|disconnect|unblock|unarchive|unpin|unaccept|leave|archive|revoke|\.end|decline|cancel|demote|lock|moveTo|readAll|polls\.close|alerts\.close)$/.test(
      n,
    )
  )
    return 4;
  return 0;
}

interface Probe {
  route: WalkedRoute;
  rule: Rule;
  target: Target;
}

async function send(world: World, actor: Actor, route: WalkedRoute, target: Target, net: NetKey): Promise<Response> {
  const url = `${world.prefix(net)}${target.url}`;
  const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  const req = actor.agent.http[method](url).set('Accept-Language', 'en').set('X-CSRF-Token', actor.token);
  if (route.method === 'GET') return req;
  const body = bodyFor(world, route, target, actor);
  const file = ROUTE_FILES[route.name];
  if (!file) return req.type('form').send(body);
  for (const [k, v] of Object.entries(body)) req.field(k, String(v));
  return req.attach(file, await matrixImage(), { filename: 'photo.png', contentType: 'image/png' });
}

const worlds = new Map<DbKind, Promise<World>>();
const worldOf = (kind: DbKind): Promise<World> => {
  if (!worlds.has(kind)) worlds.set(kind, buildWorld(kind));
  return worlds.get(kind)!;
};

function probesOf(world: World): Probe[] {
  const out: Probe[] = [];
  for (const route of walkedRoutes(world)) {
    const rule = ruleOf(route);
    if (route.method === 'GET' && !gatedPage(route, rule)) continue;
    for (const target of targetsOf(world, route)) out.push({ route, rule, target });
  }
  return out;
}

/** How many different sets of actors see the attached photo across the levels, at least. */
const LINES: Record<Scope, number> = { A: 3, root: 2, B: 1 };

/** Who sees the post of `scope` at `level` from its own network, by the levels' rules (the other levels: its page decides). */
function seesAt(world: World, scope: Scope, level: string, actor: Actor): boolean | undefined {
  const author = actor.name === AUTHOR[scope];
  const staff = actor.isRoot || actor.roles[scope] === 'admin';
  if (level === 'private') return author || staff;
  if (level === 'group') return author || staff || (world.objects[scope].group.groupAdmins ?? []).includes(actor.name);
  if (level === 'network') return actor.isRoot || actor.roles[scope] !== undefined;
  return undefined;
}

for (const kind of databaseKinds()) {
  test.serial(`scope matrix: an attached file is seen by who sees its parent, at every level, from every address [${kind}]`, async (t) => {
    t.timeout(WALK_TIMEOUT_MS);
    const world = await worldOf(kind);
    const rt = world.app.ruche;
    const violations: string[] = [];
    let requests = 0;
    const get = async (actor: Actor, url: string): Promise<number> => {
      const res = await actor.agent.http.get(url).set('Accept-Language', 'en');
      requests++;
      if (res.status >= 500) violations.push(`GET ${url} as ${actor.name}: ${res.status}`);
      return res.status;
    };
    const fileUrls = (id: string) => [`/files/${id}`, `/files/${id}/download`, `/files/${id}/image/thumb`];
    for (const scope of SCOPES) {
      const { attachment, messageAttachment } = world.objects[scope];
      const postId = Number(attachment.parent!.split('/').pop());
      const original = (await rt.entities.get(postId))!.access as AccessLevel;
      const seers = new Map<string, string[]>();
      for (const level of ACCESS_LEVELS) {
        await rt.entities.update(postId, { access: level });
        for (const name of ACTORS) {
          const actor = world.actors[name];
          for (const net of new Set<NetKey>([scope, actor.home])) {
            const base = world.prefix(net);
            const parentSeen = (await get(actor, `${base}${attachment.parent}`)) === 200;
            const rule = net === scope ? seesAt(world, scope, level, actor) : false;
            if (rule !== undefined && rule !== parentSeen)
              violations.push(`${scope} ${level}: the post's page as ${name} from ${net}: ${parentSeen}, the rule says ${rule}`);
            for (const url of fileUrls(attachment.value)) {
              const status = await get(actor, `${base}${url}`);
              if ((status === 200) !== parentSeen)
                violations.push(`${scope} ${level}: GET ${base}${url} as ${name}: ${status}, the post ${parentSeen ? 'seen' : 'not seen'}`);
            }
            if (parentSeen && net === scope) seers.set(level, [...(seers.get(level) ?? []), name]);
          }
        }
      }
      await rt.entities.update(postId, { access: original });
      // The walk proves something only if the levels drew different lines among the actors: three in A (author and
      // admins; the group's co-admin; the network's members), two at the root (root is its author), one in B, whose
      // only actors are its admin (the author) and root.
      const lines = new Set([...seers.values()].map((names) => names.join())).size;
      t.true(lines >= LINES[scope], `${scope}: ${JSON.stringify([...seers])}`);
      // A message's file: its participants' only, from the conversation's network.
      for (const name of ACTORS) {
        const actor = world.actors[name];
        for (const net of new Set<NetKey>([scope, actor.home])) {
          const participant = (messageAttachment.users ?? []).includes(name) && net === scope;
          for (const url of fileUrls(messageAttachment.value)) {
            const status = await get(actor, `${world.prefix(net)}${url}`);
            if ((status === 200) !== participant) violations.push(`${scope} message: GET ${world.prefix(net)}${url} as ${name}: ${status}`);
          }
        }
      }
    }
    // The level changes queued the posts for the search index: let it settle before the next walk's snapshots.
    await rt.container.resolve(SearchIndexer).settled();
    t.log(`${requests} requests`);
    t.deepEqual(violations, [], violations.join('\n'));
  });
}

for (const kind of databaseKinds()) {
  test.serial(`scope matrix: refused actors change nothing, on every route and object [${kind}]`, async (t) => {
    t.timeout(WALK_TIMEOUT_MS);
    const world = await worldOf(kind);
    const probes = probesOf(world);
    const violations: string[] = [];
    let requests = 0;
    let before: Snapshot = await world.snap.take();
    for (const { route, rule, target } of probes) {
      for (const name of ACTORS) {
        const actor = world.actors[name];
        if (mayAct(route, rule, actor, target, target.net)) continue;
        // Where the object lives, and — for an object named in the URL — from the actor's own network.
        const nets = new Set<NetKey>([target.net]);
        if (target.object && !target.object.named && name !== 'guest') nets.add(actor.home);
        if (target.scope === 'installation') for (const n of ['root', 'A', 'B'] as const) nets.add(n);
        for (const net of nets) {
          if (mayAct(route, rule, actor, target, net) && net !== target.net && target.scope !== 'installation') continue;
          const res = await send(world, actor, route, target, net);
          requests++;
          const where = `${route.method} ${world.prefix(net)}${target.url} (${route.name}, ${rule}) as ${name} on ${target.scope}'s object`;
          if (res.status >= 500) violations.push(`${where}: ${res.status}`);
          if (gatedPage(route, rule)) {
            if (res.status < 300) violations.push(`${where}: the page answered ${res.status}`);
            continue;
          }
          const after = await world.snap.take();
          const changed = changedTables(before, after);
          if (changed.length) violations.push(`${where}: status ${res.status}, changed ${changed.join(', ')}`);
          before = after;
        }
      }
    }
    t.log(`${probes.length} route targets, ${requests} refused requests`);
    t.deepEqual(violations, [], violations.join('\n'));
  });

  test.serial(`scope matrix: permitted actors act, and the weakest of them changes rows [${kind}]`, async (t) => {
    t.timeout(WALK_TIMEOUT_MS);
    const world = await worldOf(kind);
    const probes = probesOf(world)
      .map((p, i) => ({ ...p, i, rank: laterRank(p.route, p.target) }))
      .sort((a, b) => a.rank - b.rank || a.i - b.i);
    const violations: string[] = [];
    let requests = 0;
    let sampled = 0;
    let before: Snapshot = await world.snap.take();
    for (const { route, rule, target } of probes) {
      if (rule === 'public') {
        // Open by design: a fresh guest's request must not fail with a 5xx (sign-in, registration
        // and links are exercised by their own tests; the actors keep their sessions).
        const guest = world.made.agent();
        const token = await guest.csrf(`${world.prefix(target.net)}/login`);
        const res = await send(world, { ...world.actors.guest, agent: guest, token }, route, target, target.net);
        requests++;
        if (res.status >= 500) violations.push(`${route.method} ${target.url} (${route.name}) as a guest: ${res.status}`);
        before = await world.snap.take();
        continue;
      }
      // The weakest permitted actor acts (the others would act on what it already changed).
      const actor = WEAKEST_FIRST.map((name) => world.actors[name])
        // Joining one's own group or following oneself changes nothing: the sample is someone else.
        .find((a) => mayAct(route, rule, a, target, target.net) && !(rule === 'member' && target.object?.user === a.name));
      if (!actor) continue;
      const res = await send(world, actor, route, target, target.net);
      requests++;
      const where = `${route.method} ${world.prefix(target.net)}${target.url} (${route.name}, ${rule}) as ${actor.name} on ${target.scope}'s object`;
      if (res.status >= 500) violations.push(`${where}: ${res.status}`);
      if (gatedPage(route, rule)) {
        if (res.status !== 200) violations.push(`${where}: the page answered ${res.status}`);
        continue;
      }
      const after = await world.snap.take();
      if (!NO_ROW_BY_DESIGN.has(route.name) && !SAMPLED_ELSEWHERE.has(route.name)) {
        sampled++;
        if (res.status >= 400) violations.push(`${where}: refused with ${res.status} ${problems(res.text)}`);
        else if (!changedTables(before, after).length) violations.push(`${where}: answered ${res.status} but changed nothing`);
      }
      before = after;
    }
    t.log(`${probes.length} route targets, ${requests} permitted requests, ${sampled} checked for a change`);
    t.deepEqual(violations, [], violations.join('\n'));
  });
}

test.after.always(async () => {
  for (const w of worlds.values()) await (await w.catch(() => undefined))?.close();
});
