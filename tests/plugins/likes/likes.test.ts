// Reactions through the real forms and the API: react, change, withdraw, refused reactions
// (not enabled by the admins, unknown, on a non-reactable entity), counts exact under
// parallel requests from many members and from one member double-clicking, who reacted.
import request from 'supertest';
import { encodeCursor } from '../../../core';
import { LikesService } from '../../../plugins/likes/service';
import { apiClients, relLink, walkLinksWhileAdding } from '../../helpers/api-clients';
import { bulkMembers } from '../../helpers/members';
import { actualReactions, eachSocialApp, PLAIN, reactionCounts, type SocialApp } from '../comments/support';

eachSocialApp('members react, change their reaction and withdraw it; counts, activity and events follow', async (t, app) => {
  const alice = await app.member('alice');
  const bob = await app.member('bob');
  const note = await app.note(alice, 'members');
  const b = await app.as('bob');
  const next = `/fixture/entities/${note}`;

  const liked = await b.post(`/entities/${note}/react`, { reaction: 'like', next });
  t.is(liked.status, 303);
  t.is(liked.headers.location, `${next}#reactions-${note}`);
  t.deepEqual(await reactionCounts(app.db, note), { like: 1 });
  t.truthy(await app.db('activity').where({ verb: 'liked', entity_id: note, actor_id: bob }).first());

  t.is((await b.post(`/entities/${note}/react`, { reaction: 'like' })).status, 303, 'the same reaction again changes nothing');
  t.deepEqual(await reactionCounts(app.db, note), { like: 1 });

  await b.post(`/entities/${note}/react`, { reaction: 'love' });
  t.deepEqual(await reactionCounts(app.db, note), { love: 1 }, 'changing moves the count');
  const page = await b.agent.http.get(next);
  t.regex(
    page.text,
    /class="reaction reaction--mine" aria-pressed="true"[^>]*formaction="\/entities\/\d+\/unreact"/,
    'my reaction is highlighted and withdraws',
  );
  t.regex(page.text, /1 reaction · who reacted/);

  t.is((await b.post(`/entities/${note}/unreact`, { next })).status, 303);
  t.deepEqual(await reactionCounts(app.db, note), {});
  t.falsy(await app.db('activity').where({ verb: 'liked', entity_id: note }).first(), 'the liked row is removed');
  t.is((await b.post(`/entities/${note}/unreact`)).status, 303, 'withdrawing twice is harmless');

  t.deepEqual(
    app.events.map((e) => [e.name, e.payload.reaction, e.payload.previous ?? null]),
    [
      ['likes:reacted', 'like', null],
      ['likes:reacted', 'love', 'like'],
      ['likes:withdrawn', 'love', null],
    ],
  );
  t.deepEqual(app.events[0].payload, { networkId: app.root, entityId: note, userId: bob, ownerId: alice, reaction: 'like', previous: null });
});

eachSocialApp('reactions outside the enabled set, unknown ones and non-reactable entities answer 400; admins choose the set', async (t, app) => {
  const alice = await app.member('alice');
  const note = await app.note(alice, 'members');
  const a = await app.as('alice');
  for (const reaction of ['sad', 'bogus', '', 'constructor']) {
    const res = await a.post(`/entities/${note}/react`, { reaction });
    t.is(res.status, 400, `reaction "${reaction}"`);
  }
  t.regex((await a.post(`/entities/${note}/react`, { reaction: 'sad' })).text, /This reaction is not available/);
  t.deepEqual(await reactionCounts(app.db, note), {});

  const plain = await app.note(alice, 'members', { type: PLAIN });
  t.is((await a.post(`/entities/${plain}/react`, { reaction: 'like' })).status, 400);
  t.is((await a.agent.http.get(`/entities/${plain}/reactions`)).status, 400);

  // The admin enables "sad" and disables "like" through the plugin's settings page.
  const admin = await app.as('admin');
  const settings = await admin.agent.http.get('/admin/plugins/likes/settings');
  t.is(settings.status, 200);
  t.regex(settings.text, /😢 Sad/);
  const form: Record<string, string> = { 'setting-love': 'true', 'setting-sad': 'true' };
  t.is((await admin.post('/admin/plugins/likes/settings', form)).status, 303);
  t.is((await a.post(`/entities/${note}/react`, { reaction: 'sad' })).status, 303);
  t.is((await a.post(`/entities/${note}/react`, { reaction: 'like' })).status, 400);
  t.deepEqual(await reactionCounts(app.db, note), { sad: 1 });
  const page = (await a.agent.http.get(`/fixture/entities/${note}`)).text;
  t.regex(page, /value="love"/);
  t.notRegex(page, /value="like"/);
  t.notRegex(page, /value="celebrate"/);
});

eachSocialApp('counts stay exact under 30 parallel reactions, a double-clicking member and parallel changes', async (t, app) => {
  const alice = await app.member('alice');
  const note = await app.note(alice, 'public');
  const people = await bulkMembers(app.db, 'fan', 30, { plainNumbers: true });
  const tokens = await Promise.all(people.map((id) => app.bearer(id)));
  const api = (token: string) => request(app.app.callback()).post(`/api/v1/entities/${note}/reactions`).set('Authorization', `Bearer ${token}`);
  const reactions = ['like', 'love', 'celebrate'];

  const results = await Promise.all(tokens.map((tk, i) => api(tk).send({ reaction: reactions[i % 3] })));
  t.deepEqual(
    results.map((r) => r.status),
    tokens.map(() => 201),
  );
  t.deepEqual(await reactionCounts(app.db, note), { like: 10, love: 10, celebrate: 10 });

  // Everyone switches at once (opposite directions), then everyone withdraws at once.
  await Promise.all(tokens.map((tk, i) => api(tk).send({ reaction: reactions[(i + 1) % 3] })));
  t.deepEqual(await reactionCounts(app.db, note), { like: 10, love: 10, celebrate: 10 });
  t.deepEqual(await reactionCounts(app.db, note), await actualReactions(app.db, note));
  await Promise.all(
    tokens.slice(0, 15).map((tk) => request(app.app.callback()).delete(`/api/v1/entities/${note}/reactions`).set('Authorization', `Bearer ${tk}`)),
  );
  t.deepEqual(await reactionCounts(app.db, note), await actualReactions(app.db, note));
  t.is(
    Object.values(await reactionCounts(app.db, note)).reduce((a, b) => a + b, 0),
    15,
  );

  // One member double-clicks (the same reaction 10 times at once), then hesitates between two.
  const me = await app.member('clicky');
  const token = await app.bearer(me);
  const clicks = await Promise.all(Array.from({ length: 10 }, () => api(token).send({ reaction: 'insightful' })));
  t.is(clicks.filter((r) => r.status === 201).length, 1, 'one click counted');
  t.true(clicks.every((r) => r.status === 200 || r.status === 201));
  t.is((await reactionCounts(app.db, note)).insightful, 1);
  await Promise.all(Array.from({ length: 10 }, (_, i) => api(token).send({ reaction: i % 2 ? 'laugh' : 'support' })));
  const mine = await app.db('reactions').where({ entity_id: note, user_id: me }).select('reaction');
  t.is(mine.length, 1);
  t.deepEqual(await reactionCounts(app.db, note), await actualReactions(app.db, note));
  t.is(
    Object.values(await reactionCounts(app.db, note)).reduce((a, b) => a + b, 0),
    16,
  );
  t.is(Number((await app.db('activity').where({ verb: 'liked', entity_id: note }).count({ n: '*' }).first())!.n), 16, 'one liked row per member');

  // And through the forms: parallel double-clicks of one signed-in member.
  const b = await app.as('clicky');
  await Promise.all(Array.from({ length: 5 }, () => b.post(`/entities/${note}/unreact`)));
  t.deepEqual(await reactionCounts(app.db, note), await actualReactions(app.db, note));
  t.is(
    Object.values(await reactionCounts(app.db, note)).reduce((a, b2) => a + b2, 0),
    15,
  );
});

/** `userId` (an active member of the root network) reacts to `entityId` through the likes service. */
async function react(app: SocialApp, entityId: number, userId: number, reaction: string): Promise<void> {
  const likes = app.rt.container.resolve(LikesService);
  const viewer = (await app.rt.users.viewer(userId))!;
  await likes.react(viewer, (await app.rt.entities.get(entityId))!, reaction, app.root);
}

eachSocialApp('who reacted: members listed newest first, filtered by reaction, paginated; the API answers the same', async (t, app) => {
  const alice = await app.member('alice', 'Alice Liddell');
  const note = await app.note(alice, 'members');
  const people = await bulkMembers(app.db, 'fan', 35, { plainNumbers: true });
  for (const [i, id] of people.entries()) await react(app, note, id, i < 5 ? 'love' : 'like');
  const a = await app.as('alice');
  const all = await a.agent.http.get(`/entities/${note}/reactions`);
  t.is(all.status, 200);
  t.regex(all.text, /All \(35\)/);
  t.regex(all.text, /Love \(5\)/);
  t.regex(all.text, /Like \(30\)/);
  t.is((all.text.match(/class="likes-who__person"/g) ?? []).length, 30);
  t.notRegex(all.text, /Page 1 of 2/, 'no page numbers');
  const second = await a.agent.http.get(relLink(all.text, 'next')!);
  t.is((second.text.match(/class="likes-who__person"/g) ?? []).length, 5);
  t.regex(relLink(second.text, 'prev') ?? '', /^\/entities\/\d+\/reactions\?before=/);
  const loves = await a.agent.http.get(`/entities/${note}/reactions?reaction=love`);
  t.is((loves.text.match(/class="likes-who__person"/g) ?? []).length, 5);
  t.regex(loves.text, /fan 4[\s\S]*fan 0/, 'newest first');
  t.notRegex(loves.text, /fan 5\b/);

  const api = await a.agent.http.get(`/api/v1/entities/${note}/reactions?reaction=love`);
  t.is(api.status, 200);
  t.deepEqual(api.body.counts, { like: 30, love: 5 });
  t.is(api.body.total, 35);
  t.is(api.body.mine, null);
  t.is(api.body.people.total, 5);
  t.deepEqual(api.body.enabled, ['like', 'love', 'celebrate', 'insightful', 'laugh', 'support']);
});

eachSocialApp('who reacted pages by cursor, on the page and in the API, while members react between requests', async (t, app) => {
  const alice = await app.member('alice', 'Alice Liddell');
  const note = await app.note(alice, 'members');
  for (const id of await bulkMembers(app.db, 'fan', 65, { plainNumbers: true })) await react(app, note, id, 'like');
  let n = 0;
  // Newest first: each newcomer sorts before the cursor, where a numbered page would show someone again.
  const newcomer = async () => react(app, note, (await bulkMembers(app.db, `late${n++}x`, 1))[0], 'love');
  const as = await apiClients(app, { alice: [alice, 'read'] });
  const path = `/api/v1/entities/${note}/reactions`;
  const readApi = async (url: string) => {
    const { body } = await as('alice').get(url);
    return { items: (body.people.items as { id: number }[]).map((p) => p.id), next: body.people.next as string | null };
  };
  const before = (await readApi(`${path}?limit=100`)).items;
  const api = await walkLinksWhileAdding(`${path}?limit=20`, readApi, newcomer);
  t.is(before.length, 65);
  t.deepEqual(api.walked, before, 'each once, newest first');
  t.is(api.links.length, 3);
  for (const link of api.links) t.regex(link, new RegExp(`^/api/v1/entities/${note}/reactions\\?limit=20&after=[A-Za-z0-9_-]+$`));

  const a = await app.as('alice');
  const names = (html: string) => [...html.matchAll(/class="likes-who__name" href="[^"]*">([^<]+)</g)].map((m) => m[1]);
  const now = names((await a.agent.http.get(`/entities/${note}/reactions`)).text);
  const read = async (path: string) => {
    const res = await a.agent.http.get(path);
    t.is(res.status, 200, path);
    return { items: names(res.text), next: relLink(res.text, 'next') };
  };
  const walked = await walkLinksWhileAdding(`/entities/${note}/reactions`, read, newcomer);
  t.is(walked.links.length, 2);
  t.deepEqual(walked.walked.slice(0, 30), now);
  t.is(walked.walked.length, 68, 'each of the 68 who had reacted, once');
  t.is(new Set(walked.walked).size, 68);

  for (const path of [`/entities/${note}/reactions?after=abc`, `/entities/${note}/reactions?before=${encodeCursor(['fan', 1])}`]) {
    const res = await a.agent.http.get(path);
    t.is(res.status, 400, path);
    t.regex(res.text, /This page link is not valid for this list/);
  }
  const bad = await as('alice').get(`/api/v1/entities/${note}/reactions?after=${encodeCursor(['fan', 1])}`);
  t.deepEqual([bad.status, Object.keys(bad.body.error.fields)], [400, ['query.after']]);
});
