// Follow / unfollow and connect (request, accept, decline, cancel, remove), with every refusal:
// a clear localised message, a 4xx, and nothing changed.
import { rowCount } from '../../helpers/rows';
import { eachConnApp } from './support';

const entity = (ownerId: number) => ({ owner_id: ownerId, container_id: null, network_id: 1, access: 'friends', deleted_at: null, published: true });

eachConnApp('follow and unfollow, with refusals', async (t, app) => {
  const aliceId = await app.member('alice', 'Alice Martin');
  const bobId = await app.member('bob', 'Bob Durand');
  const alice = await app.as('alice');

  let res = await alice.post('/people/bob/follow', { next: '/people/bob/followers' });
  t.is(res.status, 303);
  t.is(res.headers.location, '/people/bob/followers');
  t.truthy(await app.db('follows').where({ follower_id: aliceId, followee_id: bobId }).first());
  t.deepEqual(
    app.events.map((e) => e.name),
    ['connections:followed'],
  );
  t.deepEqual(app.events[0].payload, { networkId: 1, fromId: aliceId, toId: bobId });

  res = await alice.post('/people/bob/follow');
  t.is(res.status, 303, 'following again answers as the first time did (idempotent)');
  t.is(await rowCount(app.db('follows').where({ follower_id: aliceId, followee_id: bobId })), 1);
  t.deepEqual(
    app.events.map((e) => e.name),
    ['connections:followed'],
    'announced once',
  );

  res = await alice.post('/people/alice/follow');
  t.is(res.status, 400);
  t.regex(res.text, /You cannot follow yourself/);

  res = await alice.post('/people/nobody/follow');
  t.is(res.status, 404);
  t.regex(res.text, /This member does not exist/);

  // An open redirect is not followed.
  res = await alice.post('/people/bob/unfollow', { next: '//evil.example/' });
  t.is(res.status, 303);
  t.is(res.headers.location, '/people/bob');
  t.falsy(await app.db('follows').where({ follower_id: aliceId, followee_id: bobId }).first());

  res = await alice.post('/people/bob/unfollow');
  t.is(res.status, 409);
  t.regex(res.text, /You do not follow this member/);
  t.deepEqual(
    app.events.map((e) => e.name),
    ['connections:followed', 'connections:unfollowed'],
  );

  // No CSRF token: refused before anything.
  res = await alice.agent.http.post('/people/bob/follow').type('form').send({});
  t.is(res.status, 403);
  // Guests are asked to sign in.
  const guest = app.agent();
  res = await guest.http
    .post('/people/bob/follow')
    .type('form')
    .send({ _csrf: await guest.csrf('/') });
  t.true(res.status === 401 || res.status === 403, String(res.status));
  t.is(await rowCount(app.db('follows')), 0);
});

eachConnApp('a suspended member cannot be followed and is unknown', async (t, app) => {
  await app.member('alice');
  const bobId = await app.member('bob');
  await app.app.ruche.users.setStatus(bobId, 'suspended');
  const alice = await app.as('alice');
  const res = await alice.post('/people/bob/follow');
  t.is(res.status, 404);
  t.is((await alice.agent.http.get('/people/bob/followers')).status, 404);
});

eachConnApp('request, accept and remove make friends for the access model, in French too', async (t, app) => {
  const aliceId = await app.member('alice');
  const bobId = await app.member('bob');
  const alice = await app.as('alice');
  const bob = await app.as('bob');
  const access = app.app.ruche.access;
  const bobViewer = await app.app.ruche.users.viewer(bobId);

  t.false(await access.canSee(bobViewer!, entity(aliceId)));
  let res = await alice.post('/people/bob/connect');
  t.is(res.status, 303);
  const req = await app.db('connection_requests').where({ from_id: aliceId, to_id: bobId }).first();
  t.is(req.status, 'pending');
  t.false(await access.canSee(bobViewer!, entity(aliceId)));

  res = await alice.post('/people/bob/connect');
  t.is(res.status, 303, 'asking again answers as the first time did (idempotent)');
  t.is(await rowCount(app.db('connection_requests')), 1);

  res = await alice.post('/people/alice/connect');
  t.is(res.status, 400);

  // Alice cannot accept her own request; bob cannot cancel it.
  res = await alice.post(`/connections/requests/${req.id}/accept`);
  t.is(res.status, 404);
  t.regex(res.text, /This request does not exist/);
  res = await bob.post(`/connections/requests/${req.id}/cancel`);
  t.is(res.status, 404);
  res = await bob.post('/connections/requests/abc/accept');
  t.is(res.status, 404);
  t.is((await app.db('connection_requests').where({ id: req.id }).first()).status, 'pending');

  // Bob sees it on his page and accepts.
  const page = await bob.agent.http.get('/connections');
  t.is(page.status, 200);
  t.regex(page.text, new RegExp(`/connections/requests/${req.id}/accept`));
  res = await bob.post(`/connections/requests/${req.id}/accept`);
  t.is(res.status, 303);
  t.is((await app.db('connection_requests').where({ id: req.id }).first()).status, 'accepted');
  t.is(await rowCount(app.db('user_relations').where({ kind: 'friend' })), 2);
  t.true(await access.canSee(bobViewer!, entity(aliceId)));
  t.true(await access.canSee((await app.app.ruche.users.viewer(aliceId))!, entity(bobId)));
  const visible = await app.db('entities as e').modify(access.visibleTo(bobViewer!, 'e')).count({ n: '*' }).first();
  t.truthy(visible);

  res = await bob.post(`/connections/requests/${req.id}/accept`);
  t.is(res.status, 303, 'accepting again answers as the first time did (idempotent)');
  res = await alice.post('/people/bob/connect');
  t.is(res.status, 409);
  t.regex(res.text, /already connected/);

  // Lists and counts.
  const list = await alice.agent.http.get('/people/bob/connections');
  t.is(list.status, 200);
  t.regex(list.text, /@alice/);

  // French refusal.
  await app.db('users').where({ id: bobId }).update({ locale: 'fr' });
  const bobFr = await app.as('bob');
  res = await bobFr.post('/people/bob/connect');
  t.is(res.status, 400);
  t.regex(res.text, /Vous ne pouvez pas vous connecter avec vous-même/);

  res = await bob.post('/people/alice/disconnect');
  t.is(res.status, 303);
  t.is(await rowCount(app.db('user_relations').where({ kind: 'friend' })), 0);
  t.false(await access.canSee(bobViewer!, entity(aliceId)));
  res = await bob.post('/people/alice/disconnect');
  t.is(res.status, 409);
  t.deepEqual(
    app.events.map((e) => e.name),
    ['connections:requested', 'connections:accepted', 'connections:removed'],
  );
  t.deepEqual(app.events[1].payload, { networkId: 1, fromId: bobId, toId: aliceId });
});

eachConnApp('decline and cancel close a request; crossing requests connect', async (t, app) => {
  const aliceId = await app.member('alice');
  const bobId = await app.member('bob');
  await app.member('carol');
  const alice = await app.as('alice');
  const bob = await app.as('bob');
  const carol = await app.as('carol');

  await alice.post('/people/bob/connect');
  let req = await app.db('connection_requests').where({ from_id: aliceId }).orderBy('id', 'desc').first();
  // Carol may not decline a request that is not hers.
  let res = await carol.post(`/connections/requests/${req.id}/decline`);
  t.is(res.status, 404);
  res = await bob.post(`/connections/requests/${req.id}/decline`);
  t.is(res.status, 303);
  t.is((await app.db('connection_requests').where({ id: req.id }).first()).status, 'declined');
  t.falsy(await app.db('user_relations').first());

  await alice.post('/people/bob/connect');
  req = await app.db('connection_requests').where({ from_id: aliceId, status: 'pending' }).first();
  res = await alice.post(`/connections/requests/${req.id}/cancel`);
  t.is(res.status, 303);
  t.is((await app.db('connection_requests').where({ id: req.id }).first()).status, 'cancelled');

  // Bob asks, then Alice asks too: that accepts Bob's request.
  await bob.post('/people/alice/connect');
  res = await alice.post('/people/bob/connect');
  t.is(res.status, 303);
  t.truthy(await app.db('user_relations').where({ user_id: aliceId, other_id: bobId, kind: 'friend' }).first());
  t.truthy(await app.db('user_relations').where({ user_id: bobId, other_id: aliceId, kind: 'friend' }).first());
  t.deepEqual(
    app.events.map((e) => e.name),
    ['connections:requested', 'connections:declined', 'connections:requested', 'connections:requested', 'connections:accepted'],
  );
});
