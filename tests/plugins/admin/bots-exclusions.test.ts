/**
 * Bots are not people (core `users.kind`, README "Bots"): each place that measures or admits
 * people leaves them out, and each test here fails if its exclusion is removed.
 * - analytics: a bot that is a member of the network and of a group, acting (and served pages)
 *   on the days of the hand-computed world (tests/plugins/analytics/support.ts), changes none
 *   of its figures (members, funnel, days, discussions, top contents of the network and of the
 *   group: the same tables as analytics/figures);
 * - moderation: with the new-member hold on, a bot's first posts are published, where a new
 *   person's are held;
 * - admin: the overview's member count and the members console (list and member page) leave it out;
 * - SSO: an identity provider's verified address equal to a bot's never links to it (OIDC, LDAP
 *   and SAML all decide through `externalAccounts`), while a person's does.
 * Both databases.
 */
import request from 'supertest';
import { isValidEmail, type Runtime } from '../../../core';
import { ViewCounter } from '../../../plugins/analytics/counting';
import { signedIn } from '../../helpers/members';
import { analyticsOf, buildWorld, eachAnalyticsApp, parseCsv, worldDays } from '../analytics/support';
import { eachModApp, openReportsOn } from '../moderation/support';

/** A bot of the root network made as Admin → Bots makes it: `groups` scope when given groups. */
async function makeBot(rt: Runtime, createdBy: number, groupIds: number[] = []): Promise<number> {
  const input = {
    displayName: 'CI Bot',
    username: 'ci-bot',
    description: '',
    scope: groupIds.length ? 'groups' : 'network',
    networkIds: [],
    groupIds,
  } as const;
  return rt.db.transaction((trx) => rt.bots.create(trx, rt.networks.root().id, { ...input, networkIds: [], groupIds }, createdBy));
}

eachAnalyticsApp('analytics: a bot’s membership and acts change none of the figures', async (t, base) => {
  const app = analyticsOf(base);
  const w = await buildWorld(app);
  const rt = app.rt;
  const bot = await makeBot(rt, w.ids.admin, [w.group]);
  t.truthy(await rt.db('memberships').where({ user_id: bot, network_id: app.root }).first('user_id'), 'a member of the network');
  t.truthy(await rt.db('container_members').where({ user_id: bot, container_id: w.group }).first('user_id'), 'and of Choir');
  // It posts in Choir and reacts on the days people act; it starts a discussion and answers
  // Carol's (which only she answered); and were it ever served a page, the view is not counted.
  for (const daysAgo of [10, 3, 1]) {
    const id = await rt.entities.create({
      type: 'status',
      ownerId: bot,
      networkId: app.root,
      access: 'network',
      containerId: w.group,
      createdAt: app.at(daysAgo),
    });
    await rt.activity.record({ verb: 'posted', actorId: bot, entityId: id, networkId: app.root, at: app.at(daysAgo) });
    await rt.activity.record({ verb: 'liked', actorId: bot, entityId: w.s1, networkId: app.root, at: app.at(daysAgo, 13) });
    await rt.container.resolve(ViewCounter).count({ networkId: app.root, userId: bot, at: app.at(daysAgo) });
  }
  const topic = await rt.entities.create({
    type: 'topic',
    ownerId: bot,
    networkId: app.root,
    access: 'network',
    containerId: w.group,
    createdAt: app.at(2),
  });
  await rt.activity.record({ verb: 'started', actorId: bot, entityId: topic, networkId: app.root, at: app.at(2) });
  await rt.activity.record({ verb: 'replied', actorId: bot, entityId: w.t2, networkId: app.root, at: app.at(1, 11) });
  const admin = await signedIn(app, 'admin');
  const dave = await signedIn(app, 'dave');
  await admin.http.get('/').expect(200);
  await dave.http.get('/').expect(200);
  await app.rollup();

  const csv = async (path: string) => {
    const res = await admin.http.get(`/admin/analytics/export/${path}?period=7`);
    t.is(res.status, 200);
    return parseCsv(res.text)
      .slice(1)
      .map((r) => r.slice(1));
  };
  // The figures of analytics/figures, where the world has no bot.
  t.deepEqual(await csv('funnel'), [
    ['5', '100', '5', '100'],
    ['5', '100', '3', '60'],
    ['3', '60', '3', '60'],
    ['2', '40', '2', '40'],
  ]);
  t.deepEqual(await csv('members'), [
    ['5', '5', '0'],
    ['5', '0', ''],
    ['1', '0', ''],
  ]);
  const days = (await admin.http.get('/admin/analytics/export/days?period=7')).text;
  t.deepEqual(parseCsv(days).slice(1), worldDays(app.today));
  // Discussions: two started (not the bot's), one answered by another person (not by the bot).
  t.deepEqual(await csv('responses'), [
    ['2', '0', ''],
    ['50', '', ''],
    ['2', '', ''],
  ]);
  t.deepEqual(await csv('contents'), [['2'], ['1'], ['1']]);
  const alice = await signedIn(app, 'alice');
  const group = await alice.http.get(`/groups/${w.group}/analytics/export/contents?period=7`);
  t.deepEqual(
    parseCsv(group.text)
      .slice(1)
      .map((r) => r.slice(1)),
    [['2'], ['1']],
  );
});

eachModApp('a bot is not held as a new member, not counted or listed as a member, never matched by SSO', async (t, app) => {
  const rt = app.rt;
  const [ada, , dave] = await app.members('ada', 'carol', 'dave');
  await app.setRole(ada, 'admin');
  const adminPage = async (): Promise<string> => (await (await app.as('ada')).agent.http.get('/admin')).text;
  const count = (page: string): string => /class="admin-stat">([^<]+)</.exec(page)![1];
  const before = count(await adminPage());
  t.regex(before, /\b4\b/, 'admin, ada, carol and dave');

  const bot = await makeBot(rt, ada);
  t.is(count(await adminPage()), before, 'the overview’s member count leaves the bot out');
  const console = await (await app.as('ada')).agent.http.get('/admin/members');
  t.is(console.status, 200);
  t.regex(console.text, /@dave|dave/);
  t.notRegex(console.text, /ci-bot/, 'the members console does not list it');
  t.is((await (await app.as('ada')).agent.http.get(`/admin/members/${bot}`)).status, 404, 'nor show it as a member');

  // The new-member hold: a new person's first post waits; the bot's first posts are published.
  await rt.pluginState.configure('moderation', { newMemberHeldPosts: 2 }, app.root);
  const carol = await app.as('carol');
  const daves = await app.post('dave', 'Bonjour, je suis nouveau');
  t.is((await carol.agent.http.get(`/status/${daves}`)).status, 404, 'a new person’s first post is held');
  t.is((await openReportsOn(app.db, 'entity', daves)).length, 1);
  const token = (await rt.apiTokens.create(bot, 'ci', 'write')).token;
  for (const body of ['Build #1 passed', 'Build #2 passed']) {
    const posted = await request(app.app.callback()).post('/api/v1/status').set('Authorization', `Bearer ${token}`).send({ body, access: 'members' });
    t.is(posted.status, 201, posted.text);
    t.is((await carol.agent.http.get(`/status/${posted.body.id}`)).status, 200, 'the bot’s post is published');
    t.deepEqual(await openReportsOn(app.db, 'entity', posted.body.id), [], 'and not queued');
  }

  // SSO: a verified address equal to the bot's never links to it; a person's does.
  const network = rt.networks.root();
  const address = (await rt.db('users').where({ id: bot }).first('email')).email as string;
  t.true(isValidEmail(address), 'refused for being a bot’s, not for its form');
  const identity = { provider: 'oidc:https://idp.example', subject: 'sub-1', email: address, emailVerified: true };
  t.deepEqual(await rt.externalAccounts.decide(network, identity), { action: 'refuse', reason: 'noEmail' });
  t.like(await rt.externalAccounts.signIn(network, identity), { ok: false });
  t.is(Number((await rt.db('user_identities').where({ user_id: bot }).count({ n: '*' }).first())!.n), 0, 'no link made');
  t.is(Number((await rt.db('sessions').where({ user_id: bot }).count({ n: '*' }).first())!.n), 0);
  const person = { ...identity, subject: 'sub-2', email: (await rt.db('users').where({ id: dave }).first('email')).email as string };
  t.deepEqual(await rt.externalAccounts.decide(network, person), { action: 'link', userId: dave });
});
