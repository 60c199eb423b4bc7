/**
 * Issue 16, concurrency: a "create once" action fired N times at the same moment answers
 * every submit as a single submit answers (or with an equivalent idempotent success),
 * never a 5xx, and leaves exactly one row. Cases 8 (join a group), 9 (new direct message)
 * and 10 (a group's chat room: nothing written on GET, no oracle), then the class: every
 * other create-once action found. Real HTTP, both databases.
 */
import type { ExecutionContext } from 'ava';
import type { Response } from 'supertest';
import { unmasked } from '../helpers/app';
import { groupApp, type GroupApp } from '../plugins/groups/support';
import { TopicsService } from '../../plugins/discussions/service';
import { RepliesService } from '../../plugins/discussions/replies';
import { readMails } from '../helpers/mail';
import { REINVITE_AFTER_MS } from '../../core/auth/registration';
import { eachApp } from '../helpers/each-app';
import { countRows } from '../helpers/rows';

const N = 6;

/** Fires `n` submits at once and returns their answers. */
const burst = (n: number, submit: (i: number) => Promise<Response>): Promise<Response[]> =>
  Promise.all(Array.from({ length: n }, (_, i) => submit(i)));

/** No 5xx, and every answer is the one expected (status, and where it leads). */
function sameAnswers(t: ExecutionContext, answers: Response[], expected: { status: number; location?: string | RegExp }, what: string): void {
  t.deepEqual(
    answers.filter((r) => r.status >= 500).map((r) => r.status),
    [],
    `${what}: no 5xx`,
  );
  t.deepEqual(
    answers.map((r) => r.status),
    answers.map(() => expected.status),
    `${what}: every submit answers ${expected.status}`,
  );
  if (expected.location !== undefined) {
    for (const r of answers) {
      if (typeof expected.location === 'string') t.is(r.headers.location, expected.location, `${what}: leads where the first did`);
      else t.regex(String(r.headers.location ?? ''), expected.location, `${what}: leads where the first did`);
    }
  }
}

const count = (app: GroupApp, table: string, where: Record<string, unknown>): Promise<number> => countRows(app.db, table, where);

eachApp('issue 16 case 8: six simultaneous "join group" submits answer as one did, one membership row', groupApp, async (t, app) => {
  for (const u of ['owner', 'bob']) await app.member(u);
  const open = await app.group('owner', { name: 'Runners', visibility: 'open' });
  const closed = await app.group('owner', { name: 'Board', visibility: 'closed' });
  const bob = await app.as('bob');
  const token = await bob.agent.csrf('/groups/mine');
  const join = (g: number) => () => bob.agent.http.post(`/groups/${g}/join`).type('form').send({ _csrf: token });

  sameAnswers(t, await burst(N, join(open)), { status: 303, location: `/groups/${open}` }, 'join an open group');
  t.is(await count(app, 'container_members', { container_id: open, user_id: app.ids.bob }), 1, 'one membership row');
  t.is(app.events.filter((e) => e.name === 'groups:joined' && e.payload.groupId === open).length, 1, 'joined once');

  sameAnswers(t, await burst(N, join(closed)), { status: 303, location: `/groups/${closed}` }, 'ask to join a closed group');
  t.is(await count(app, 'group_requests', { group_id: closed, user_id: app.ids.bob }), 1, 'one request row');
  t.is(app.events.filter((e) => e.name === 'groups:requested' && e.payload.groupId === closed).length, 1, 'asked once');
});

eachApp('issue 16 case 9: simultaneous "new message" submits between two members make one direct conversation', groupApp, async (t, app) => {
  for (const u of ['ann', 'bob']) await app.member(u);
  const ann = await app.as('ann');
  const bob = await app.as('bob');
  const tokens = { ann: await ann.agent.csrf('/messages/new'), bob: await bob.agent.csrf('/messages/new') };
  // Half from each side, at once: the pair is the same whoever starts.
  const answers = await burst(N, (i) => {
    const [who, to] = i % 2 ? ([bob, 'ann'] as const) : ([ann, 'bob'] as const);
    return who.agent.http
      .post('/messages')
      .type('form')
      .send({ _csrf: i % 2 ? tokens.bob : tokens.ann, to, subject: '', body: `Hello ${i}` });
  });
  sameAnswers(t, answers, { status: 303, location: /^\/messages\/\d+$/ }, 'new message');
  t.is(new Set(answers.map((r) => r.headers.location)).size, 1, 'all lead to the same conversation');
  const direct = await app.db('conversations').where({ kind: 'direct' }).select('id');
  t.is(direct.length, 1, 'one direct conversation for the pair');
  t.is(await count(app, 'messages', { conversation_id: direct[0].id }), N, 'every message is in it');
  t.is(await count(app, 'conversation_members', { conversation_id: direct[0].id }), 2);
  // And a later start reuses it.
  const later = await ann.agent.http.post('/messages').type('form').send({ _csrf: tokens.ann, to: 'bob', subject: '', body: 'Again' });
  t.is(later.headers.location, answers[0].headers.location);
});

eachApp(
  'issue 16 case 10: a group chat room is not created by a GET, hidden and missing groups answer alike, simultaneous first messages make one room',
  groupApp,
  async (t, app) => {
    for (const u of ['owner', 'bob', 'eve']) await app.member(u);
    const secret = await app.group('owner', { name: 'Skunkworks', visibility: 'secret' });
    await app.join(secret, 'bob');
    const rooms = () => count(app, 'conversations', {});
    const eve = await app.as('eve');
    const hidden = await eve.get(`/chat/group/${secret}`);
    const missing = await eve.get('/chat/group/999999');
    t.is(hidden.status, 404, 'a secret group one is not in');
    t.is(missing.status, 404, 'a group that does not exist');
    // Request ids and the CSRF token's per-response mask differ between any two pages.
    const strip = (s: string) =>
      unmasked(s)
        .replace(/\/chat\/group\/\d+/g, '')
        .replace(/[a-f0-9-]{36}/g, '');
    t.is(strip(hidden.text), strip(missing.text), 'the same page, word for word');
    const evePost = await eve.post(`/chat/group/${secret}`, { body: 'Let me in' });
    t.is(evePost.status, 404, 'nor may they write to it');
    t.is(await rooms(), 0, 'refusals write nothing');

    const bob = await app.as('bob');
    const page = await bob.get(`/chat/group/${secret}`);
    t.is(page.status, 200, 'a member sees the empty room');
    t.regex(page.text, /Nobody has written in this room yet/);
    t.regex(page.text, new RegExp(`action="/chat/group/${secret}"`));
    t.is((await bob.get('/chat/network')).status, 200);
    t.is(await rooms(), 0, 'reading creates no conversation');
    t.is(await count(app, 'conversation_members', {}), 0, 'nor any member row');

    const token = await bob.agent.csrf('/groups/mine');
    const answers = await burst(N, (i) =>
      bob.agent.http
        .post(`/chat/group/${secret}`)
        .type('form')
        .send({ _csrf: token, body: `First ${i}` }),
    );
    sameAnswers(t, answers, { status: 303, location: /^\/chat\/\d+$/ }, 'first messages of a room');
    t.is(new Set(answers.map((r) => r.headers.location)).size, 1, 'all in the same room');
    const room = await app.db('conversations').where({ kind: 'room', container_id: secret }).select('id');
    t.is(room.length, 1, 'one room row');
    t.is(await count(app, 'messages', { conversation_id: room[0].id }), N);
    const again = await bob.get(`/chat/group/${secret}`);
    t.is(again.status, 303, 'now the GET leads to the room');
    t.is(again.headers.location, answers[0].headers.location);

    const network = await burst(N, (i) =>
      bob.agent.http
        .post('/chat/network')
        .type('form')
        .send({ _csrf: token, body: `Hi all ${i}` }),
    );
    sameAnswers(t, network, { status: 303, location: /^\/chat\/\d+$/ }, 'first messages of the network room');
    t.is(await count(app, 'conversations', { kind: 'network' }), 1, 'one network room');
  },
);

/**
 * The class: each other create-once action, fired N times at once by the same member.
 * Every answer is the single submit's; one row; the event (seen through the notification
 * it makes) once.
 */
eachApp(
  'issue 16 concurrency: follow, connect, accept, invite to a group, react, subscribe, mark as answer, accept the charter — N simultaneous submits, one row, no 5xx',
  groupApp,
  async (t, app) => {
    const rt = app.rt;
    for (const u of ['ann', 'bob', 'owner']) await app.member(u);
    const ann = await app.as('ann');
    const bob = await app.as('bob');
    const owner = await app.as('owner');
    const tokenOf = (m: Awaited<ReturnType<GroupApp['as']>>) => m.agent.csrf('/groups/mine');
    const fire = async (m: Awaited<ReturnType<GroupApp['as']>>, url: string, fields: Record<string, string> = {}) => {
      const token = await tokenOf(m);
      return burst(N, () =>
        m.agent.http
          .post(url)
          .type('form')
          .send({ _csrf: token, ...fields }),
      );
    };
    const notes = (userId: number, kind: string) => count(app, 'notifications', { user_id: userId, kind });

    // Follow.
    sameAnswers(t, await fire(ann, '/people/bob/follow'), { status: 303, location: '/people/bob' }, 'follow');
    t.is(await count(app, 'follows', { follower_id: app.ids.ann, followee_id: app.ids.bob }), 1, 'follow: one row');

    // Ask to connect, then accept.
    sameAnswers(t, await fire(ann, '/people/bob/connect'), { status: 303, location: '/people/bob' }, 'connect request');
    t.is(await count(app, 'connection_requests', { from_id: app.ids.ann, to_id: app.ids.bob }), 1, 'connect request: one row');
    t.is(await notes(app.ids.bob, 'connections.requested'), 1, 'connect request: notified once');
    const request = await app.db('connection_requests').where({ from_id: app.ids.ann, to_id: app.ids.bob }).first('id');
    sameAnswers(t, await fire(bob, `/connections/requests/${request.id}/accept`), { status: 303, location: '/connections' }, 'accept a connection');
    t.is(await count(app, 'user_relations', { kind: 'friend' }), 2, 'accept: one relation each way');
    t.is(await notes(app.ids.ann, 'connections.accepted'), 1, 'accept: notified once');

    // Invite to a group.
    const secret = await app.group('owner', { name: 'Skunkworks', visibility: 'secret' });
    sameAnswers(
      t,
      await fire(owner, `/groups/${secret}/invite`, { username: 'ann' }),
      { status: 303, location: `/groups/${secret}/members` },
      'invite to a group',
    );
    t.is(await count(app, 'group_invitations', { group_id: secret, user_id: app.ids.ann }), 1, 'invite: one row');
    t.is(app.events.filter((e) => e.name === 'groups:invited').length, 1, 'invite: announced once');

    // React to a post.
    const post = await app.status('owner', 'Lunch at noon', null, 'members');
    sameAnswers(t, await fire(ann, `/entities/${post}/react`, { reaction: 'like' }), { status: 303 }, 'react');
    t.is(await count(app, 'reactions', { entity_id: post, user_id: app.ids.ann }), 1, 'react: one row');
    t.is(Number((await app.db('reaction_counts').where({ entity_id: post }).sum({ n: 'n' }).first())?.n), 1, 'react: counted once');

    // Subscribe to a topic, and mark an answer.
    const topics = rt.container.resolve(TopicsService);
    const replies = rt.container.resolve(RepliesService);
    const topicId = await topics.create((await rt.users.viewer(app.ids.owner))!, rt.networks.root().id, null, {
      title: 'Where is the key?',
      body: 'The *key*',
      tags: [],
      access: 'members',
    });
    const topic = (await topics.find(topicId))!;
    sameAnswers(
      t,
      await fire(bob, `/discussions/${topicId}/subscribe`, { on: '1' }),
      { status: 303, location: `/discussions/${topicId}` },
      'subscribe to a topic',
    );
    t.is(await count(app, 'discussion_subscriptions', { topic_id: topicId, user_id: app.ids.bob }), 1, 'subscribe: one row');
    const reply = await replies.create((await rt.users.viewer(app.ids.ann))!, topic, 'Under the mat');
    sameAnswers(t, await fire(owner, `/discussions/replies/${reply.id}/accept`), { status: 303 }, 'mark as answer');
    t.is(Number((await app.db('discussion_topics').where({ entity_id: topicId }).first('accepted_reply_id')).accepted_reply_id), reply.id);
    t.is(await notes(app.ids.ann, 'discussions.answered'), 1, 'mark as answer: the author is told once');

    // Accept the charter.
    const admin = await app.as('admin');
    const adminToken = await admin.agent.csrf('/charter/edit');
    t.is((await admin.agent.http.post('/charter/edit').type('form').send({ _csrf: adminToken, charter: '# Be kind' })).status, 303);
    const charterToken = await ann.agent.csrf('/charter');
    const accepted = await burst(N, () =>
      ann.agent.http.post('/charter/accept').type('form').send({ _csrf: charterToken, version: '1', next: '/groups/mine' }),
    );
    sameAnswers(t, accepted, { status: 303, location: '/groups/mine' }, 'accept the charter');
    t.is(await count(app, 'charter_acceptances', { user_id: app.ids.ann, version: 1 }), 1, 'charter: one row');
  },
);

eachApp('issue 16 concurrency: groups of the same name created at once each get their own handle, no 5xx', groupApp, async (t, app) => {
  await app.member('owner');
  const owner = await app.as('owner');
  const token = await owner.agent.csrf('/groups/mine');
  const answers = await burst(N, () =>
    owner.agent.http.post('/groups').type('form').send({ _csrf: token, name: 'Book club', visibility: 'open', category: 'social', description: '' }),
  );
  sameAnswers(t, answers, { status: 303, location: /^\/groups\/\d+$/ }, 'create a group');
  const handles = (await app.db('groups').where({ name: 'Book club' }).pluck('handle')) as string[];
  t.is(handles.length, N, 'each submit made its group');
  t.is(new Set(handles).size, N, 'each with its own handle');
});

eachApp(
  'issue 16 concurrency: registering the same address N times at once makes one account; the others are told the address is taken',
  groupApp,
  async (t, app) => {
    const guests = await Promise.all(
      Array.from({ length: N }, async () => {
        const agent = app.guest();
        return { agent, token: await agent.csrf('/register') };
      }),
    );
    const answers = await Promise.all(
      guests.map((g) =>
        g.agent.http.post('/register').type('form').send({
          _csrf: g.token,
          username: 'dana',
          email: 'dana@example.com',
          displayName: 'Dana',
          password: 'violet staple engine 7',
          passwordConfirm: 'violet staple engine 7',
        }),
      ),
    );
    t.deepEqual(
      answers.filter((r) => r.status >= 500).map((r) => r.status),
      [],
      'no 5xx',
    );
    const won = answers.filter((r) => r.status < 400);
    t.is(won.length, 1, 'one registration succeeds');
    for (const r of answers.filter((x) => x.status >= 400)) {
      t.is(r.status, 422, 'the others answer as a later single submit does');
      t.regex(r.text, /already|taken|used/i);
    }
    t.is(await count(app, 'users', { email_lower: 'dana@example.com' }), 1, 'one account');
  },
);

eachApp(
  'issue 16 concurrency: A asking B while B asks A, N times each at once, converge on one connection, no pending request left',
  groupApp,
  async (t, app) => {
    const pairs = [
      ['ann', 'bob'],
      ['cat', 'dan'],
      ['eve', 'fay'],
    ] as const;
    for (const pair of pairs) for (const u of pair) await app.member(u);
    // Three pairs at once, each firing N submits from each side.
    await Promise.all(
      pairs.map(async ([a, b]) => {
        const one = await app.as(a);
        const other = await app.as(b);
        const tokens = { one: await one.agent.csrf('/groups/mine'), other: await other.agent.csrf('/groups/mine') };
        const answers = await burst(2 * N, (i) =>
          i % 2
            ? other.agent.http.post(`/people/${a}/connect`).type('form').send({ _csrf: tokens.other })
            : one.agent.http.post(`/people/${b}/connect`).type('form').send({ _csrf: tokens.one }),
        );
        t.deepEqual(
          answers.filter((r) => r.status >= 500).map((r) => r.status),
          [],
          `${a}/${b}: no 5xx`,
        );
        // Each submit answers as a single one would at its turn: asked, accepted the other's
        // request, or (once they are connected) "already connected".
        answers.forEach((r, i) => {
          if (r.status === 409) t.regex(r.text, /already connected/, 'a later submit is told they are connected');
          else {
            t.is(r.status, 303, 'asked or accepted');
            t.is(r.headers.location, i % 2 ? `/people/${a}` : `/people/${b}`, 'back to the profile');
          }
        });
      }),
    );
    t.is(await count(app, 'connection_requests', { status: 'pending' }), 0, 'no pending request left');
    t.is(await count(app, 'connection_requests', { status: 'accepted' }), pairs.length, 'one request per pair, accepted');
    t.is(await count(app, 'user_relations', { kind: 'friend' }), 2 * pairs.length, 'each pair connected, one relation each way');
  },
);

eachApp(
  'issue 16 concurrency: accepting the same group invitation N times at once answers as the first accept did, one membership row',
  groupApp,
  async (t, app) => {
    for (const u of ['owner', 'ann']) await app.member(u);
    const secret = await app.group('owner', { name: 'Skunkworks', visibility: 'secret' });
    const owner = await app.as('owner');
    const ownerToken = await owner.agent.csrf('/groups/mine');
    const invite = () => owner.agent.http.post(`/groups/${secret}/invite`).type('form').send({ _csrf: ownerToken, username: 'ann' });
    t.is((await invite()).status, 303);
    const inv = await app.db('group_invitations').where({ group_id: secret, user_id: app.ids.ann }).first('id');
    const ann = await app.as('ann');
    const token = await ann.agent.csrf('/groups/mine');
    const accept = (id: number) => ann.agent.http.post(`/groups/invitations/${id}/accept`).type('form').send({ _csrf: token });
    sameAnswers(t, await burst(N, () => accept(inv.id)), { status: 303, location: `/groups/${secret}` }, 'accept an invitation');
    t.is(await count(app, 'container_members', { container_id: secret, user_id: app.ids.ann }), 1, 'one membership row');
    // The slowest loser of a burst arrives after the winner committed: it answers alike too.
    sameAnswers(t, [await accept(inv.id)], { status: 303, location: `/groups/${secret}` }, 'an accept arriving after the first one finished');
    t.is(app.events.filter((e) => e.name === 'groups:joined' && e.payload.groupId === secret).length, 1, 'joined once');
    t.notRegex((await ann.get('/groups/mine')).text, /invitations\/\d+\/accept/, 'no invitation left to answer');
    t.is((await ann.post(`/groups/invitations/${inv.id}/decline`)).status, 404, 'an accepted invitation cannot be declined');

    // Once they leave, the spent invitation opens nothing; a new one does.
    t.is((await ann.post(`/groups/${secret}/leave`)).status, 303);
    t.is((await accept(inv.id)).status, 404, 'a spent invitation after leaving is a 404');
    t.is((await ann.post(`/groups/${secret}/join`)).status, 404, 'nor does it let them join the secret group again (hidden from them)');
    t.is(await count(app, 'container_members', { container_id: secret, user_id: app.ids.ann }), 0);
    t.is((await invite()).status, 303);
    const again = await app.db('group_invitations').where({ group_id: secret, user_id: app.ids.ann }).first('id');
    t.regex((await ann.get('/groups/mine')).text, new RegExp(`invitations/${again.id}/accept`), 'invited again: a pending invitation to answer');
    t.is((await accept(again.id)).status, 303);
    t.is(await count(app, 'container_members', { container_id: secret, user_id: app.ids.ann }), 1);
  },
);

eachApp(
  'issue 16 concurrency: inviting the same address N times at once leaves one live invitation and sends one mail; a later re-invite sends a new link',
  groupApp,
  async (t, app, db) => {
    const admin = await app.as('admin');
    const token = await admin.agent.csrf('/members/invite');
    const invite = () => admin.agent.http.post('/members/invite').type('form').send({ _csrf: token, emails: 'Zoe@Example.com' });
    const invitations = () => app.db('auth_tokens').where({ kind: 'invitation' }).whereNull('used_at').select('id', 'data');
    const mailsToZoe = async () => (await readMails(db.dataDir)).filter((m) => m.to.includes('zoe@example.com')).length;

    const answers = await burst(N, invite);
    sameAnswers(t, answers, { status: 200 }, 'invite the same address');
    for (const r of answers) t.regex(r.text, /1 invitation sent/, 'each answers as the first did');
    const live = await invitations();
    t.is(live.length, 1, 'one live invitation');
    t.deepEqual(JSON.parse(live[0].data), { email: 'zoe@example.com', networkId: app.rt.networks.root().id });
    t.is(await mailsToZoe(), 1, 'one mail');

    // Later on, inviting again re-sends: a new link in a new mail.
    await app
      .db('auth_tokens')
      .where({ id: live[0].id })
      .update({ created_at: Date.now() - REINVITE_AFTER_MS - 1000 });
    const later = await invite();
    t.is(later.status, 200);
    t.regex(later.text, /1 invitation sent/);
    t.is((await invitations()).length, 2, 'a new link');
    t.is(await mailsToZoe(), 2, 'a new mail');
  },
);
