// The home feed's sources, keyset pages, announcements, hashtag follows, the profile
// section, and the acts other plugins report (joined, connected).
import { eachActApp } from './support';

eachActApp('home feed: me, people I follow, my connections, my groups, tags I follow, mentions of me — nobody else', async (t, app) => {
  const people = ['maya', 'followed', 'friend', 'groupmate', 'tagger', 'mentioner', 'stranger'];
  const [me, followed, friend, groupmate, , , stranger] = await app.members(...people);
  await app.rt.db('follows').insert({ follower_id: me, followee_id: followed, created_at: Date.now() });
  await app.befriend(me, friend);
  const group = await app.container(groupmate, [me]);
  await app.quickPost(me, 'from-me');
  await app.quickPost(followed, 'from-followed');
  await app.quickPost(friend, 'from-friend');
  await app.quickPost(groupmate, 'from-group', 'group', { containerId: group });
  await app.quickPost(groupmate, 'groupmate-outside');
  await app.post('tagger', 'about #rust today');
  await app.post('mentioner', 'ping @maya please');
  await app.quickPost(stranger, 'from-stranger');
  // A stranger's act on a post of mine: it comes through my post alone (the source "my entities").
  await app.rt.db.transaction(async (trx) => {
    const networkId = app.rt.networks.root().id;
    const id = await app.rt.entities.create({ type: 'status', ownerId: me, networkId, access: 'members', containerId: null }, trx);
    await trx('status_posts').insert({ entity_id: id, body: 'mine-acted-by-stranger' });
    await app.rt.activity.record({ verb: 'posted', actorId: stranger, entityId: id, networkId }, trx);
  });
  const mine = await app.as('maya');
  t.is((await mine.post('/tags/rust/follow')).status, 303);
  t.is((await mine.post('/tags/rust/follow')).status, 303, 'following twice is harmless');
  const home = (await mine.agent.http.get('/feed')).text;
  for (const s of ['from-me', 'from-followed', 'from-friend', 'from-group', 'about <a class="hashtag"', 'please', 'mine-acted-by-stranger'])
    t.true(home.includes(s), s);
  t.false(home.includes('groupmate-outside'));
  t.false(home.includes('from-stranger'));
  const front = (await mine.agent.http.get('/')).text;
  t.true(front.includes('from-followed'), 'the home page shows my feed');
  t.true(front.includes('name="body"'), 'with the composer');
  t.false(front.includes('from-stranger'));
  const api = (await mine.agent.http.get('/api/v1/feed')).body as { items: { text: string }[] };
  t.true(api.items.some((i) => i.text === 'from-friend'));
  t.false(api.items.some((i) => i.text === 'from-stranger'));
  t.is((await mine.post('/tags/rust/unfollow')).status, 303);
  t.false((await mine.agent.http.get('/feed')).text.includes('about #'), 'unfollowed tag leaves the feed');
});

eachActApp('keyset pages: 45 posts in pages of 20, 20 and 5, no duplicates, never OFFSET', async (t, app) => {
  const [alice] = await app.members('alice', 'bob');
  for (let i = 0; i < 45; i++) await app.quickPost(alice, `post-${String(i).padStart(2, '0')}-end`);
  const bob = await app.as('bob');
  const sqls: string[] = [];
  const listen = (q: { sql: string }) => void sqls.push(q.sql);
  app.rt.db.on('query', listen);
  const seen: string[] = [];
  let url: string | null = '/activity';
  const sizes: number[] = [];
  while (url) {
    const res = await bob.agent.http.get(url);
    t.is(res.status, 200);
    const found = [...res.text.matchAll(/post-(\d\d)-end/g)].map((m) => m[1]);
    sizes.push(found.length);
    seen.push(...found);
    const next = /href="([^"]+)" rel="next"/.exec(res.text);
    url = next ? next[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&') : null;
    if (sizes.length > 5) break;
  }
  app.rt.db.off('query', listen);
  t.deepEqual(sizes, [20, 20, 5]);
  t.is(new Set(seen).size, 45);
  t.deepEqual(seen, [...seen].sort().reverse(), 'newest first');
  t.false(
    sqls.some((s) => /\boffset\b/i.test(s)),
    'no OFFSET scans',
  );
  t.is((await bob.agent.http.get('/activity?before=abc')).status, 200, 'a bad cursor is ignored');
});

eachActApp('announcements: moderators pin until a date, they lead the feed, then expire; members cannot pin', async (t, app) => {
  const alice = await app.member('alice');
  const mod = await app.member('mod');
  await app.rt.users.setRole(mod, 1, 'moderator');
  await app.member('bob');
  const news = await app.quickPost(alice, 'big-news');
  for (let i = 0; i < 3; i++) await app.quickPost(alice, `later-${i}`);
  const bob = await app.as('bob');
  t.is((await bob.post(`/status/${news}/pin`, { until: '2999-01-01' })).status, 403);
  const moderator = await app.as('mod');
  t.is((await moderator.post(`/status/${news}/pin`, { until: '2001-01-01' })).status, 400);
  t.is((await moderator.post(`/status/${news}/pin`, { until: 'soon' })).status, 400);
  const announced: unknown[] = [];
  app.rt.hooks.on('activity:announced', (p) => void announced.push(p.entityId));
  t.is((await moderator.post(`/status/${news}/pin`, { until: '2999-01-01' })).status, 303);
  t.deepEqual(announced, [news]);
  const text = (await bob.agent.http.get('/activity')).text;
  t.true(text.indexOf('big-news') < text.indexOf('later-2'), 'pinned above newer posts');
  t.regex(text, /Announcement until/);
  t.is(text.split('big-news').length - 1, 1, 'shown once, in the announcements, not again in the feed (issue 27)');
  t.is((await (await app.as('alice')).agent.http.get('/feed')).text.split('big-news').length - 1, 1, 'once on the author’s home feed too');
  await app.rt
    .db('entities')
    .where({ id: news })
    .update({ pinned_until: Date.now() - 1000 });
  const after = (await bob.agent.http.get('/activity')).text;
  t.true(after.indexOf('later-2') < after.indexOf('big-news'), 'expired: back in its place');
  await app.rt
    .db('entities')
    .where({ id: news })
    .update({ pinned_until: Date.now() + 60_000 });
  t.is((await moderator.post(`/status/${news}/unpin`)).status, 303);
  t.is((await app.rt.db('entities').where({ id: news }).first()).pinned_until, null);
});

eachActApp('profile page shows the member’s recent activity; joined and connected are recorded', async (t, app) => {
  await app.member('alice', 'Alice Martin');
  const bobId = await app.member('bob', 'Bob Durand');
  const alice = await app.as('alice');
  const bob = await app.as('bob');
  await alice.post('/people/bob/connect');
  const req = await app.rt.db('connection_requests').where({ to_id: bobId }).first();
  t.is((await bob.post(`/connections/requests/${req.id}/accept`)).status, 303);
  const feed = (await alice.agent.http.get('/activity')).text;
  t.regex(feed, /joined the network/);
  t.regex(feed, /made a new connection/);
  t.regex(feed, /Now connected with <a href="\/people\/alice">Alice Martin<\/a>/);
  // Someone reacts to the connection: the entry comes back up with that act and still
  // names the other member (found from the `connected` act).
  const connected = await app.rt.db('activity').where({ verb: 'connected' }).first('entity_id', 'network_id');
  const carolId = await app.member('carol', 'Carol Petit');
  // Enough newer posts that the `connected` act is no longer in the rows a page reads.
  for (let i = 0; i < 60; i++) await app.quickPost(carolId, `filler-${i}`);
  await app.rt.activity.record({ verb: 'liked', actorId: carolId, entityId: Number(connected.entity_id), networkId: Number(connected.network_id) });
  const again = (await alice.agent.http.get('/activity')).text;
  t.regex(again, /Carol Petit/);
  t.regex(again, /Now connected with <a href="\/people\/alice">Alice Martin<\/a>/);
  await app.post('alice', 'profile-visible-post');
  const profile = (await bob.agent.http.get('/people/alice')).text;
  t.regex(profile, /Recent activity/);
  t.regex(profile, /<link rel="stylesheet" href="[^"]*activity\.css[^"]*">/, 'styled like the feed: its stylesheet comes with the cards (issue 27)');
  t.true(profile.includes('profile-visible-post'));
  t.is((await bob.agent.http.get('/people/nobody/activity')).status, 404);
});

eachActApp('@group mentions notify the members a groups provider returns, only those who can see the post', async (t, app) => {
  const [alice, bob, carol] = await app.members('alice', 'bob', 'carol');
  app.rt.hooks.addFilter('content:mentionGroups', (groups, c) =>
    c.names.includes('team') ? [...groups, { containerId: 7, name: 'team', memberIds: [alice, bob, carol] }] : groups,
  );
  const got: { userId: number; viaGroup?: number }[] = [];
  app.rt.hooks.on('content:mentioned', (p) => void got.push({ userId: p.userId, viaGroup: p.viaGroup }));
  await app.befriend(alice, bob);
  await app.post('alice', 'hello @team', 'friends');
  t.deepEqual(got, [{ userId: bob, viaGroup: 7 }], 'not the author, not carol who cannot see a friends-only post');
});

eachActApp('JSON API: post with a bearer token, 400 with field messages, mention suggestions', async (t, app) => {
  const alice = await app.member('alice');
  await app.member('bob', 'Bob Durand');
  await app.member('bobby', 'Roberta Smith');
  const { token } = await app.rt.apiTokens.create(alice, 'test');
  let res = await app
    .agent()
    .http.post('/api/v1/status')
    .set('Authorization', `Bearer ${token}`)
    .send({ body: 'via the API #api', access: 'members' });
  t.is(res.status, 201);
  t.regex(res.body.href, /^\/status\/\d+$/);
  res = await app.agent().http.post('/api/v1/status').set('Authorization', `Bearer ${token}`).send({ body: '', access: 'nope' });
  t.is(res.status, 400);
  t.is(res.body.error.fields.body, 'Write something before posting.');
  t.truthy(res.body.error.fields.access);
  res = await app.agent().http.get('/api/v1/mentions?q=bo').set('Authorization', `Bearer ${token}`);
  t.deepEqual(
    res.body.members.map((m: { username: string }) => m.username),
    ['bob', 'bobby'],
  );
  res = await app.agent().http.get('/api/v1/mentions?q=rob').set('Authorization', `Bearer ${token}`);
  t.deepEqual(
    res.body.members.map((m: { username: string }) => m.username),
    ['bobby'],
    'display names match too',
  );
  t.is((await app.agent().http.get('/api/v1/mentions?q=bo')).status, 401);
});
