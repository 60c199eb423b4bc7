/**
 * A bot's groups are its scope (core/members/bots.ts): only its network's admins change them,
 * on its page (Admin → Bots). A group admin cannot invite it (the form again, a localised 400,
 * the name kept), it cannot join an open group nor ask to join a closed one through the API,
 * an invitation or a request from before is refused when accepted or approved, and it is never
 * made a group admin or handed a group. Its scope stays what the admin chose; the admin's page
 * still adds it to another group. Both databases.
 */
import request from 'supertest';
import { HttpError } from '../../../core';
import { pageAgent, signedIn } from '../../helpers/members';
import { eachGroupApp } from './support';

eachGroupApp('a bot joins a group only through its admin page: not invited, not joining, not approved, never a group admin', async (t, app) => {
  const rt = app.rt;
  const refused = async (act: () => Promise<unknown>, key: string) => {
    const e = await t.throwsAsync(act, { instanceOf: HttpError });
    t.is(e?.messageKey, key);
  };
  const bob = await app.member('bob');
  const builds = await app.group('admin', { name: 'Builds', visibility: 'open' });
  const lounge = await app.group('bob', { name: 'Lounge', visibility: 'open' });
  const closed = await app.group('bob', { name: 'Inner circle', visibility: 'closed' });

  const admin = pageAgent(await signedIn(app, 'admin'), '/admin/bots');
  const created = await admin.post('/admin/bots', { displayName: 'CI Bot', username: 'ci-bot', scope: 'groups', groupIds: String(builds) });
  t.is(created.status, 303);
  const botId = Number(/(\d+)$/.exec(created.headers.location)![1]);
  const groupsOf = async () =>
    ((await rt.db('container_members').where({ user_id: botId }).orderBy('container_id').pluck('container_id')) as unknown[]).map(Number);
  t.deepEqual(await groupsOf(), [builds]);

  // Bob, admin of Lounge, cannot invite it: the form again with the name kept and why.
  const bobAgent = pageAgent(await signedIn(app, 'bob'), `/groups/${lounge}/members`);
  const invited = await bobAgent.post(`/groups/${lounge}/invite`, { username: 'ci-bot' });
  t.is(invited.status, 400, invited.text.slice(0, 300));
  t.regex(invited.text, /A bot’s groups are chosen by the network’s administrators/);
  t.regex(invited.text, /value="ci-bot"/);
  t.is(Number((await rt.db('group_invitations').where({ user_id: botId }).count({ n: '*' }).first())!.n), 0);
  await rt.db('users').where({ id: bob }).update({ locale: 'fr' });
  t.regex((await bobAgent.post(`/groups/${lounge}/invite`, { username: 'ci-bot' })).text, /Les groupes d’un bot sont choisis/);

  // Through the API, it joins no open group and asks no closed one.
  const token = (await rt.apiTokens.create(botId, 'ci', 'write')).token;
  for (const id of [lounge, closed]) {
    const joined = await request(app.app.callback()).post(`/api/v1/groups/${id}/join`).set('Authorization', `Bearer ${token}`).send({});
    t.true([403, 404].includes(joined.status), `${joined.status} ${joined.text}`);
  }
  const bot = (await rt.users.viewer(botId))!;
  const g = (await app.svc.find(lounge))!;
  const c = (await app.svc.find(closed))!;
  await refused(() => app.svc.join(bot, g), 'groups.errors.botMembership');
  await refused(() => app.svc.join(bot, c), 'groups.errors.botMembership');
  t.is(Number((await rt.db('group_requests').where({ user_id: botId }).count({ n: '*' }).first())!.n), 0);

  // An invitation or a request written before (as an older version could): refused when used.
  const now = Date.now();
  await rt.db('group_invitations').insert({ group_id: lounge, user_id: botId, inviter_id: bob, created_at: now });
  const inv = Number((await rt.db('group_invitations').where({ user_id: botId }).first('id')).id);
  await refused(() => app.svc.acceptInvitation(bot, inv), 'groups.errors.botMembership');
  await rt.db('group_requests').insert({ group_id: closed, user_id: botId, created_at: now });
  const bobViewer = (await rt.users.viewer(bob))!;
  await refused(() => app.svc.decideRequest(bobViewer, c, botId, true), 'groups.errors.botMembership');
  t.deepEqual(await groupsOf(), [builds], 'its scope is what the admin chose');

  // Never a group admin, never handed a group.
  const b = (await app.svc.find(builds))!;
  await refused(() => app.svc.setRole(b, botId, 'admin'), 'groups.errors.botRole');
  const adminViewer = (await rt.users.viewer(Number((await rt.db('users').where({ username_lower: 'admin' }).first('id')).id)))!;
  await refused(() => app.svc.transfer(adminViewer, b, botId), 'groups.errors.botRole');
  t.is((await rt.db('container_members').where({ user_id: botId, container_id: builds }).first('role')).role, 'member');

  // The admin's page widens it.
  const edited = await admin.agent.http
    .post(`/admin/bots/${botId}`)
    .type('form')
    .send(`_csrf=${encodeURIComponent(await admin.token())}&displayName=CI+Bot&scope=groups&groupIds=${builds}&groupIds=${lounge}`);
  t.is(edited.status, 303);
  t.deepEqual(
    await groupsOf(),
    [builds, lounge].sort((x, y) => x - y),
  );
});
