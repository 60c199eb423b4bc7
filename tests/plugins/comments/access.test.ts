// Access on every endpoint and panel of comments and likes, for each access level ×
// viewer: what a member cannot see answers 404 (a guest: 401, or the login page), exactly as
// for an id that does not exist, and nothing changes; panels appear only under visible content.
import request from 'supertest';
import { ADMIN } from '../../helpers/app';
import { formAgent } from '../../helpers/members';
import { commentCount, eachSocialApp, type Level, LEVELS, PLAIN, reactionCounts, type Signed } from './support';

const VIEWERS = ['owner', 'friend', 'other', 'insider', 'mod', 'admin', 'guest'] as const;
type ViewerName = (typeof VIEWERS)[number];

/** Who sees what (the access model's rules, written out independently). */
const SEES: Record<ViewerName, readonly Level[]> = {
  owner: LEVELS,
  friend: ['friends', 'network', 'members', 'public'],
  other: ['network', 'members', 'public'],
  insider: ['group', 'network', 'members', 'public'],
  mod: LEVELS,
  admin: LEVELS,
  guest: ['public'],
};

eachSocialApp('comments and likes: every endpoint and panel × every access level × every kind of viewer', async (t, app) => {
  await app.rt.networks.update(app.root, { allowGuests: true });
  const owner = await app.member('owner', 'Olga Owner');
  const friend = await app.member('friend');
  await app.member('other');
  const insider = await app.member('insider');
  const mod = await app.member('mod');
  await app.setRole(mod, 'moderator');
  await app.befriend(owner, friend);
  const group = await app.note(owner, 'members', { type: PLAIN });
  await app.db('container_members').insert({ container_id: group, user_id: insider, role: 'member', created_at: Date.now() });

  const agents = {} as Record<ViewerName, Signed>;
  for (const v of VIEWERS) {
    if (v === 'guest') {
      agents.guest = await formAgent(app.agent());
    } else {
      agents[v] = await app.as(v === 'owner' ? 'owner' : v === 'admin' ? ADMIN.username : v);
    }
  }
  const o = agents.owner;
  const notes = {} as Record<Level, { id: number; comment: number }>;
  for (const level of LEVELS) {
    const id = await app.note(owner, level, { containerId: level === 'group' ? group : null });
    const res = await o.post(`/entities/${id}/comments`, { body: `Owner on ${level}` });
    t.is(res.status, 303, `owner comments on ${level}`);
    await o.post(`/entities/${id}/react`, { reaction: 'like' });
    notes[level] = { id, comment: Number(/#comment-(\d+)/.exec(res.headers.location)![1]) };
  }

  const expected = { comments: {} as Record<Level, number>, reactions: {} as Record<Level, number> };
  for (const level of LEVELS) {
    expected.comments[level] = 1;
    expected.reactions[level] = 1;
  }

  const allIds = LEVELS.map((l) => notes[l].id).join(',');
  for (const v of VIEWERS) {
    const who = agents[v];
    const guest = v === 'guest';
    const list = await who.agent.http.get(`/fixture/entities?ids=${allIds}`);
    for (const level of LEVELS) {
      const { id, comment } = notes[level];
      const sees = SEES[v].includes(level);
      const label = `${v} on ${level}`;
      const hidden = guest ? 401 : 404;
      // Panels only under what the viewer sees (the host's list goes through the access clause).
      t.is(list.text.includes(`id="comments-${id}"`), sees, `${label}: comments panel`);
      t.is(list.text.includes(`id="reactions-${id}"`), sees, `${label}: reactions panel`);

      const page = async (url: string): Promise<void> => {
        const res = await who.agent.http.get(url);
        if (sees) t.is(res.status, 200, `${label}: GET ${url}`);
        else if (guest) t.true(res.status === 302 && res.headers.location.startsWith('/login?next='), `${label}: GET ${url} → login`);
        else t.is(res.status, 404, `${label}: GET ${url}`);
      };
      await page(`/entities/${id}/comments`);
      await page(`/entities/${id}/reactions`);
      await page(`/fixture/entities/${id}`);
      for (const url of [`/api/v1/entities/${id}/comments`, `/api/v1/entities/${id}/reactions`]) {
        t.is((await who.agent.http.get(url)).status, sees ? 200 : hidden, `${label}: GET ${url}`);
      }

      // Acting: guests never act (401); others act on what they see, 404 otherwise.
      const act = async (url: string, fields: Record<string, string>, ok: number): Promise<number> => {
        const res = await who.post(url, fields);
        t.is(res.status, guest ? 401 : sees ? ok : 404, `${label}: POST ${url}`);
        return res.status;
      };
      const mine = v === 'owner';
      const moderates = v === 'mod' || v === 'admin';
      if (!mine) {
        if ((await act(`/entities/${id}/comments`, { body: `${v} was here` }, 303)) === 303) expected.comments[level]++;
        if ((await act(`/entities/${id}/react`, { reaction: 'love' }, 303)) === 303) expected.reactions[level]++;
        // Someone else's comment: never editable; deletable by moderators only (not done here).
        await act(`/comments/${comment}/edit`, { body: 'Hijacked' }, 403);
        if (!moderates) await act(`/comments/${comment}/delete`, {}, 403);
        const form = await who.agent.http.get(`/comments/${comment}/edit`);
        t.is(form.status, guest ? 302 : sees ? 403 : 404, `${label}: GET edit form`);
        if (!sees) await act(`/entities/${id}/unreact`, {}, 303);
      }
      // The JSON API with a bearer token says the same.
      if (!guest && !sees) {
        const userId = Number(
          (
            await app
              .db('users')
              .where({ username_lower: v === 'admin' ? ADMIN.username : v })
              .first('id')
          ).id,
        );
        const token = await app.bearer(userId);
        const api = (m: 'post' | 'delete', url: string) => request(app.app.callback())[m](url).set('Authorization', `Bearer ${token}`);
        t.is((await api('post', `/api/v1/entities/${id}/comments`).send({ body: 'sneaky' })).status, 404, `${label}: API comment`);
        t.is((await api('post', `/api/v1/entities/${id}/reactions`).send({ reaction: 'like' })).status, 404, `${label}: API react`);
        t.is((await api('delete', `/api/v1/entities/${id}/reactions`)).status, 404, `${label}: API withdraw`);
        t.is((await api('delete', `/api/v1/comments/${comment}`)).status, 404, `${label}: API delete comment`);
      }
    }
  }

  // Nothing changed where the viewer could not see; everything counted where they could.
  for (const level of LEVELS) {
    const { id, comment } = notes[level];
    t.is(await commentCount(app.db, id), expected.comments[level], `${level}: comment count`);
    t.is(Number((await app.db('comments').where({ entity_id: id }).whereNull('deleted_at').count({ n: '*' }).first())!.n), expected.comments[level]);
    const counts = await reactionCounts(app.db, id);
    t.is((counts.like ?? 0) + (counts.love ?? 0), expected.reactions[level], `${level}: reaction count`);
    t.is((await app.db('comments').where({ id: comment }).first()).body, `Owner on ${level}`, `${level}: the owner's comment is untouched`);
  }
  t.is(expected.comments.private, 3, 'private: moderator and admin only');
  t.is(expected.comments.public, 6, 'public: every member, never the guest');
});
