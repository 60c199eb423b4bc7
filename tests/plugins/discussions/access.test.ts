// Every access level offered for topics (group, network, members, public) against owner,
// other member (not in the group), group member, network moderator, admin and guest, on
// every surface: network and group lists, topic page, reply / accept / lock / move
// endpoints, the JSON API (bearer token) and the activity feed (both databases).
import request from 'supertest';
import { eachApp } from '../../helpers/each-app';
import { ADMIN } from '../../helpers/app';
import { discApp, type Member } from './support';

const VIEWERS = ['owner', 'member', 'groupie', 'moderator', 'admin', 'guest'] as const;
type Who = (typeof VIEWERS)[number];

const SEES: Record<string, Who[]> = {
  group: ['owner', 'groupie', 'moderator', 'admin'],
  network: ['owner', 'member', 'groupie', 'moderator', 'admin'],
  members: ['owner', 'member', 'groupie', 'moderator', 'admin'],
  public: ['owner', 'member', 'groupie', 'moderator', 'admin', 'guest'],
};
const MODERATES: Who[] = ['moderator', 'admin'];

eachApp('discussions: every access level against every kind of viewer, on every surface', discApp, async (t, app) => {
  const owner = await app.member('olga');
  await app.member('mia');
  const groupie = await app.member('cora');
  await app.member('mod', { role: 'moderator' });
  await app.allowGuests(true);
  const container = await app.container(owner, [groupie]);
  const topics: Record<string, number> = {};
  const replies: Record<string, number> = {};
  for (const level of Object.keys(SEES)) {
    topics[level] = await app.topic(owner, { title: `Level ${level}`, access: level as never, containerId: level === 'group' ? container : null });
    replies[level] = await app.reply(owner, topics[level], `Reply in ${level}`);
  }
  // A private level is never offered and refused when forged.
  const olga = await app.as('olga');
  const forged = await olga.post('/discussions', { title: 'Secret', body: 'x', access: 'private' });
  t.is(forged.status, 400);
  t.false((await olga.get('/discussions/new')).text.includes('value="private"'));

  const users: Record<Exclude<Who, 'guest'>, string> = { owner: 'olga', member: 'mia', groupie: 'cora', moderator: 'mod', admin: ADMIN.username };
  const agents = new Map<Who, Member>();
  const tokens = new Map<Who, string>();
  for (const [who, name] of Object.entries(users)) {
    agents.set(who as Who, await app.as(name));
    const id = Number((await app.db('users').where({ username: name }).first('id')).id);
    tokens.set(who as Who, (await app.rt.apiTokens.create(id, 'test')).token);
  }
  const api = request(app.app.callback());
  const get = (who: Who, url: string) => (who === 'guest' ? app.guest().http.get(url) : agents.get(who)!.get(url));
  const apiGet = (who: Who, url: string) => (who === 'guest' ? api.get(url) : api.get(url).set('authorization', `Bearer ${tokens.get(who)}`));

  for (const who of VIEWERS) {
    const [network, inContainer, apiList, feed] = await Promise.all([
      get(who, '/discussions'),
      get(who, `/discussions/in/${container}`),
      apiGet(who, '/api/v1/discussions'),
      apiGet(who, '/api/v1/activity'),
    ]);
    t.is(network.status, 200, `${who}: network list`);
    t.is(apiList.status, 200, `${who}: API list`);
    t.is(feed.status, 200, `${who}: feed`);
    if (who === 'guest') t.is(inContainer.status, 302, 'guest: the members-only container asks to sign in');
    else t.is(inContainer.status, 200, `${who}: container list`);
    const apiIds = (apiList.body.topics as { id: number }[]).map((x) => x.id);
    const feedItems = feed.body.items as { entityId: number; verb: string; href: string | null }[];
    for (const [level, id] of Object.entries(topics)) {
      const sees = SEES[level].includes(who);
      const what = `${level} / ${who}`;
      const marker = `data-topic="${id}"`;
      t.is(network.text.includes(marker), sees, `${what}: network list`);
      if (who !== 'guest') t.is(inContainer.text.includes(marker), sees && level === 'group', `${what}: container list`);
      t.is(apiIds.includes(id), sees, `${what}: API list`);
      // The feed shows one entry per entity (its headline act): the topic or its newest reply.
      const entry = feedItems.find((e) => e.entityId === id);
      t.is(!!entry, sees, `${what}: feed`);
      if (entry)
        t.regex(
          String(entry.href),
          entry.verb === 'replied' ? /^\/discussions\/replies\/\d+$/ : new RegExp(`^/discussions/${id}$`),
          `${what}: feed link`,
        );
      const page = await get(who, `/discussions/${id}`);
      t.is(page.status, sees ? 200 : who === 'guest' ? 302 : 404, `${what}: page`);
      if (sees) t.true(page.text.includes(`Level ${level}`) && page.text.includes(`Reply in ${level}`));
      else t.false(page.text.includes(`Level ${level}`));
      const apiTopic = await apiGet(who, `/api/v1/discussions/${id}`);
      t.is(apiTopic.status, sees ? 200 : who === 'guest' ? 401 : 404, `${what}: API topic`);
      if (sees) t.is(apiTopic.body.replies[0].body, `Reply in ${level}`);
      t.is((await get(who, `/discussions/replies/${replies[level]}`)).status, sees ? 303 : who === 'guest' ? 302 : 404, `${what}: reply link`);
      if (who === 'guest') continue;
      const m = agents.get(who)!;
      const hidden = (status: number, expected: number, label: string) => t.is(status, sees ? expected : 404, `${what}: ${label}`);
      hidden((await m.post(`/discussions/${id}/lock`, { on: '1' })).status, MODERATES.includes(who) ? 303 : 403, 'lock');
      if (MODERATES.includes(who)) await m.post(`/discussions/${id}/lock`, { on: '0' });
      hidden((await m.get(`/discussions/${id}/move`)).status, MODERATES.includes(who) ? 200 : 403, 'move form');
      hidden(
        (await m.post(`/discussions/replies/${replies[level]}/accept`)).status,
        who === 'owner' || MODERATES.includes(who) ? 303 : 403,
        'accept',
      );
      hidden((await m.post(`/discussions/${id}/replies`, { body: `From ${who}` })).status, 303, 'reply');
      const viaApi = await api
        .post(`/api/v1/discussions/${id}/replies`)
        .set('authorization', `Bearer ${tokens.get(who)}`)
        .send({ body: `API from ${who}` });
      hidden(viaApi.status, 201, 'API reply');
    }
  }
  const guestReply = await api.post(`/api/v1/discussions/${topics.public}/replies`).send({ body: 'anonymous' });
  t.true([401, 403].includes(guestReply.status), `guests cannot reply through the API (${guestReply.status})`);
  t.falsy(await app.db('discussion_replies').where({ body: 'anonymous' }).first());
});
