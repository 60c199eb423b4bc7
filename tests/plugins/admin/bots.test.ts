/**
 * Service accounts (core/members/bots.ts, Admin → Bots in plugins/admin/bots): an admin
 * creates a bot scoped to one group (a double submit answering as the first), gives it a write
 * token on its page; the bot posts into its group through the API — the post carries the "Bot"
 * badge on the group's feed and `isBot` in the API — and is refused (403 `bot_out_of_scope`)
 * anywhere else: another group, the network's feed, another network; it reads nothing outside
 * its group. It never signs in (login form, reset link, sessions) and never holds a role above
 * member. Moderators, members and another network's admin cannot manage it. Disabling stops its
 * tokens, deleting revokes them; every action audited. Both databases.
 */
import request from 'supertest';
import { addMemberships, addSubNetwork, formAgent, pageAgent, signedIn } from '../../helpers/members';
import { eachGroupApp } from '../groups/support';

const TOKEN = /ruche_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{20,100}/;

eachGroupApp('an admin creates a bot scoped to a group; it posts there with the badge, nowhere else; it never signs in', async (t, app) => {
  const rt = app.rt;
  const rootId = rt.networks.root().id;
  await app.member('bob');
  await app.member('mona', { role: 'moderator' });
  const carol = await app.member('carol');
  const b = await addSubNetwork(rt, 'b', 'Network B');
  await addMemberships(rt, b, [carol], 'admin');
  const builds = await app.group('admin', { name: 'Builds', visibility: 'open' });
  const other = await app.group('bob', { name: 'Other team', visibility: 'open' });
  const bobsNote = await app.status('bob', 'A note for every member', null, 'members');

  const admin = pageAgent(await signedIn(app, 'admin'), '/admin/bots');
  const list = await admin.get('/admin/bots');
  t.is(list.status, 200);
  t.regex(list.text, /No bot yet\./);
  t.regex(list.text, new RegExp(`name="groupIds" value="${builds}"`), 'the network’s groups are offered');

  // Bad input: the form again with what was typed, a 422.
  const bad = await admin.post('/admin/bots', { displayName: 'CI Bot', username: 'x', scope: 'groups' });
  t.is(bad.status, 422);
  t.regex(bad.text, /value="CI Bot"/);
  t.regex(bad.text, /Check at least one group\./);

  const form = { displayName: 'CI Bot', username: 'ci-bot', description: 'Posts build results', scope: 'groups', groupIds: String(builds) };
  const [first, second] = await Promise.all([admin.post('/admin/bots', form), admin.post('/admin/bots', form)]);
  t.deepEqual([first.status, second.status], [303, 303], 'a double submit answers as the first');
  t.is(first.headers.location, second.headers.location);
  const botId = Number(/\/admin\/bots\/(\d+)$/.exec(first.headers.location)![1]);
  t.is(Number((await rt.db('users').where({ username_lower: 'ci-bot' }).count({ n: '*' }).first())!.n), 1);
  t.like(await rt.db('users').where({ id: botId }).first('kind', 'password_hash'), { kind: 'bot', password_hash: null });

  const page = await admin.get(`/admin/bots/${botId}`);
  t.is(page.status, 200);
  t.regex(page.text, /CI Bot <span class="badge badge--bot">Bot<\/span>/);
  const made = await admin.post(`/admin/bots/${botId}/tokens`, { name: 'CI server', scope: 'write' });
  t.is(made.status, 201);
  const token = TOKEN.exec(made.text)![0];
  t.is((await admin.post(`/admin/bots/${botId}/tokens`, { name: 'Too much', scope: 'admin' })).status, 422, 'never an admin token');

  // The bot posts into its group through the API: a badge on the group's feed, isBot in the API.
  const api = request(app.app.callback());
  const asBot = (method: 'get' | 'post', url: string, key = token) =>
    api[method](url).set('Accept-Language', 'en').set('Authorization', `Bearer ${key}`);
  const posted = await asBot('post', '/api/v1/status').send({ body: 'Build #42 passed', containerId: builds });
  t.is(posted.status, 201, posted.text);
  const read = await asBot('get', `/api/v1/status/${posted.body.id}`);
  t.like(read.body.author, { username: 'ci-bot', displayName: 'CI Bot', isBot: true });
  const groupPage = await admin.get(`/groups/${builds}`);
  t.regex(groupPage.text, /CI Bot<\/a> <span class="badge badge--bot">Bot<\/span>/, 'the badge beside its name on the card');
  const feed = await api.get('/api/v1/activity').set('Authorization', `Bearer ${token}`);
  t.true(feed.body.items.some((i: { actor: { isBot: boolean; name: string } }) => i.actor.name === 'CI Bot' && i.actor.isBot));

  // Outside its scope: another group, the network's feed, another network.
  const elsewhere = await asBot('post', '/api/v1/status').send({ body: 'Wrong room', containerId: other });
  t.is(elsewhere.status, 403);
  t.is(elsewhere.body.error.code, 'bot_out_of_scope');
  t.regex(elsewhere.body.error.message, /outside its scope/);
  const network = await asBot('post', '/api/v1/status').send({ body: 'To everyone', access: 'members' });
  t.is(network.status, 403);
  t.is(network.body.error.code, 'bot_out_of_scope');
  const inB = await asBot('get', '/n/b/api/v1/activity');
  t.is(inB.status, 403);
  t.is(inB.body.error.code, 'bot_out_of_scope');
  t.is((await asBot('get', `/api/v1/status/${bobsNote}`)).status, 404, 'a members’ post outside its group is not read');
  t.false(JSON.stringify(feed.body).includes('A note for every member'), 'nor listed');
  t.is(Number((await rt.db('status_posts').where({ body: 'Wrong room' }).orWhere({ body: 'To everyone' }).count({ n: '*' }).first())!.n), 0);

  // It never signs in, never gets a reset link, never holds a role above member.
  const login = await formAgent(app.agent(), '/login');
  const refused = await login.post('/login', { login: 'ci-bot', password: 'anything at all 1' });
  t.not(refused.status, 303);
  t.is(Number((await rt.db('sessions').where({ user_id: botId }).count({ n: '*' }).first())!.n), 0, 'no session');
  t.is((await login.post('/login', { login: 'ci-bot@bot.invalid', password: '' })).status === 303, false);
  await formAgent(app.agent(), '/password/forgot').then((g) => g.post('/password/forgot', { email: 'ci-bot@bot.invalid' }));
  t.is(Number((await rt.db('auth_tokens').where({ user_id: botId }).count({ n: '*' }).first())!.n), 0, 'no reset link');
  await t.throwsAsync(() => rt.sessions.create(botId));
  t.false(await rt.users.setRole(botId, rootId, 'admin'));
  t.false(await rt.users.setRole(botId, rootId, 'moderator'));

  // Others cannot manage it.
  const mona = pageAgent(await signedIn(app, 'mona'), '/');
  t.is((await mona.get('/admin/bots')).status, 403);
  t.is((await mona.post('/admin/bots', { ...form, username: 'mona-bot' })).status, 403);
  t.is((await mona.post(`/admin/bots/${botId}/disable`)).status, 403);
  const bob = pageAgent(await signedIn(app, 'bob'), '/');
  t.is((await bob.get(`/admin/bots/${botId}`)).status, 403);
  const carolAgent = pageAgent(await signedIn(app, 'carol'), '/n/b');
  t.is((await carolAgent.get('/n/b/admin/bots')).status, 200);
  t.is((await carolAgent.get(`/n/b/admin/bots/${botId}`)).status, 404, 'another network’s bot');
  t.is((await carolAgent.post(`/n/b/admin/bots/${botId}/delete`)).status, 404);

  // Disabled, its token stops; enabled, it works again.
  const disabled = await Promise.all([admin.post(`/admin/bots/${botId}/disable`), admin.post(`/admin/bots/${botId}/disable`)]);
  t.deepEqual(
    disabled.map((r) => r.status),
    [303, 303],
  );
  t.is((await asBot('get', '/api/v1/activity')).status, 401);
  t.is((await admin.post(`/admin/bots/${botId}/enable`)).status, 303);
  t.is((await asBot('get', '/api/v1/activity')).status, 200);

  // Deleted (twice at once): tokens revoked, its post kept as from a former member.
  const [d1, d2] = await Promise.all([admin.post(`/admin/bots/${botId}/delete`), admin.post(`/admin/bots/${botId}/delete`)]);
  t.deepEqual([d1.status, d2.status], [303, 303]);
  t.is((await asBot('get', '/api/v1/activity')).status, 401);
  t.truthy(await rt.db('status_posts').where({ entity_id: posted.body.id }).first('entity_id'));
  t.regex((await admin.get('/admin/bots')).text, /No bot yet\./);

  const audit = (await rt.db('audit_log').where('action', 'like', 'core.bot.%').orderBy('id').select('action', 'object_id', 'before', 'after')) as {
    action: string;
    object_id: string;
    before: string | null;
    after: string | null;
  }[];
  t.deepEqual(
    audit.map((a) => a.action),
    ['core.bot.create', 'core.bot.tokenCreate', 'core.bot.disable', 'core.bot.enable', 'core.bot.delete'],
  );
  t.true(audit.every((a) => a.object_id === String(botId)));
  t.like(JSON.parse(audit[0].after!), { username: 'ci-bot', scope: 'groups', groupIds: [builds] });
  t.like(JSON.parse(audit[2].after!), { enabled: false });
});

eachGroupApp('a bot scoped to its network edits its scope to a sub-network; its scope decides where it posts', async (t, app) => {
  const rt = app.rt;
  const b = await addSubNetwork(rt, 'b', 'Network B');
  const admin = pageAgent(await signedIn(app, 'admin'), '/admin/bots');
  const created = await admin.post('/admin/bots', { displayName: 'Digest', username: 'digest', scope: 'network' });
  t.is(created.status, 303);
  const botId = Number(/(\d+)$/.exec(created.headers.location)![1]);
  const token = (await rt.apiTokens.create(botId, 'digest', 'write')).token;
  const post = (base: string) =>
    request(app.app.callback())
      .post(`${base}/api/v1/status`)
      .set('Authorization', `Bearer ${token}`)
      .send({ body: `Weekly digest ${base}`, access: 'network' });
  t.is((await post('')).status, 201, 'its network');
  t.is((await post('/n/b')).status, 403, 'not the sub-network yet');

  const edit = await admin.post(`/admin/bots/${botId}`, { displayName: 'Weekly digest', scope: 'subnetworks', networkIds: String(b) });
  t.is(edit.status, 303);
  t.is((await post('/n/b')).status, 201, 'now the sub-network too');
  const entry = await rt.db('audit_log').where({ action: 'core.bot.update' }).first('before', 'after');
  t.like(JSON.parse(entry.before), { displayName: 'Digest', scope: 'network' });
  t.like(JSON.parse(entry.after), { displayName: 'Weekly digest', scope: 'subnetworks', networkIds: [rt.networks.root().id, b] });
  const directory = await admin.get('/admin/bots');
  t.regex(directory.text, /Weekly digest<\/a> <span class="badge badge--bot">Bot<\/span>/);
});
