// Membership through the real forms: join an open group, ask to join a closed one
// (approve, decline, withdraw), invitations (accept, decline, secret groups), leave, the
// last admin, remove, promote/demote, transfer ownership, archive and delete; events.
import { eachApp } from '../../helpers/each-app';
import { groupApp } from './support';

const role = async (app: Awaited<ReturnType<typeof groupApp>>, groupId: number, user: string) =>
  (await app.db('container_members').where({ container_id: groupId, user_id: app.ids[user] }).first('role'))?.role ?? null;

eachApp('open groups are joined in one click; closed groups by a request the group admins approve or decline', groupApp, async (t, app) => {
  for (const u of ['owner', 'ann', 'bob', 'cat']) await app.member(u);
  const open = await app.group('owner', { name: 'Runners', visibility: 'open' });
  const closed = await app.group('owner', { name: 'Board', visibility: 'closed' });
  const ann = await app.as('ann');
  const joined = await ann.post(`/groups/${open}/join`);
  t.is(joined.status, 303);
  t.is(await role(app, open, 'ann'), 'member');
  t.is((await ann.post(`/groups/${open}/join`)).status, 303, 'joining twice answers as the first time did (idempotent)');
  t.is(await role(app, open, 'ann'), 'member');

  t.is((await ann.post(`/groups/${closed}/join`)).status, 303);
  t.is(await role(app, closed, 'ann'), null, 'a request is not a membership');
  t.regex((await ann.get(`/groups/${closed}`)).text, /Request sent/);
  t.regex((await ann.get('/groups/mine')).text, /Requests waiting for approval[\s\S]*Board/);
  t.is((await ann.post(`/groups/${closed}/join`)).status, 303, 'asking twice answers as the first time did (idempotent)');
  t.is(Number((await app.db('group_requests').where({ group_id: closed, user_id: app.ids.ann }).count({ n: '*' }).first())?.n), 1, 'one request');
  const bob = await app.as('bob');
  await bob.post(`/groups/${closed}/join`);
  await (await app.as('cat')).post(`/groups/${closed}/join`);
  await (await app.as('cat')).post(`/groups/${closed}/cancel`);
  t.falsy(await app.db('group_requests').where({ group_id: closed, user_id: app.ids.cat }).first(), 'a request can be withdrawn');

  t.is((await ann.post(`/groups/${closed}/requests/${app.ids.bob}/approve`)).status, 403, 'only group admins approve');
  const owner = await app.as('owner');
  const list = await owner.get(`/groups/${closed}/members`);
  t.regex(list.text, /Requests to join[\s\S]*Ann[\s\S]*Bob/);
  t.is((await owner.post(`/groups/${closed}/requests/${app.ids.ann}/approve`)).status, 303);
  t.is((await owner.post(`/groups/${closed}/requests/${app.ids.bob}/decline`)).status, 303);
  t.is((await owner.post(`/groups/${closed}/requests/${app.ids.bob}/decline`)).status, 404, 'no request any more');
  t.is(await role(app, closed, 'ann'), 'member');
  t.is(await role(app, closed, 'bob'), null);
  t.deepEqual(
    app.events.filter((e) => e.name.startsWith('groups:') && e.name !== 'groups:created').map((e) => [e.name, e.payload.userId]),
    [
      ['groups:joined', app.ids.ann],
      ['groups:requested', app.ids.ann],
      ['groups:requested', app.ids.bob],
      ['groups:requested', app.ids.cat],
      ['groups:approved', app.ids.ann],
      ['groups:declined', app.ids.bob],
    ],
  );
});

eachApp('invitations wait on "my groups" to be accepted or declined; a secret group is joined only that way', groupApp, async (t, app) => {
  for (const u of ['owner', 'ann', 'bob', 'cat']) await app.member(u);
  const secret = await app.group('owner', { name: 'Skunkworks', visibility: 'secret' });
  const owner = await app.as('owner');
  t.is((await owner.post(`/groups/${secret}/invite`, { username: 'ann' })).status, 303);
  t.is((await owner.post(`/groups/${secret}/invite`, { username: '@Bob' })).status, 303);
  const again = await owner.post(`/groups/${secret}/invite`, { username: 'ann' });
  t.is(again.status, 303, 'inviting again answers as the first time did (idempotent)');
  t.is(
    Number((await app.db('group_invitations').where({ group_id: secret, user_id: app.ids.ann }).count({ n: '*' }).first())?.n),
    1,
    'one invitation',
  );
  t.is(app.events.filter((e) => e.name === 'groups:invited' && e.payload.userId === app.ids.ann).length, 1, 'announced once');
  const unknown = await owner.post(`/groups/${secret}/invite`, { username: 'nobody-here' });
  t.is(unknown.status, 400);
  t.regex(unknown.text, /value="nobody-here"/, 'the typed name is kept');
  t.regex(unknown.text, /No member of this network has that username/);

  const ann = await app.as('ann');
  t.is((await ann.get(`/groups/${secret}`)).status, 404, 'an invitation does not open a secret group');
  const mine = await ann.get('/groups/mine');
  t.regex(mine.text, /Invitations[\s\S]*Skunkworks[\s\S]*Invited by Owner/);
  const inv = await app.db('group_invitations').where({ group_id: secret, user_id: app.ids.ann }).first('id');
  const bobInv = await app.db('group_invitations').where({ group_id: secret, user_id: app.ids.bob }).first('id');
  t.is((await ann.post(`/groups/invitations/${bobInv.id}/accept`)).status, 404, "someone else's invitation is not yours");
  t.is((await (await app.as('cat')).post(`/groups/${secret}/join`)).status, 404, 'a secret group cannot be joined by who does not know it');
  t.is((await ann.post(`/groups/invitations/${inv.id}/accept`)).status, 303);
  t.is(await role(app, secret, 'ann'), 'member');
  t.is((await ann.get(`/groups/${secret}`)).status, 200);
  const bob = await app.as('bob');
  t.is((await bob.post(`/groups/invitations/${bobInv.id}/decline`)).status, 303);
  t.is(await role(app, secret, 'bob'), null);
  t.notRegex((await bob.get('/groups/mine')).text, /Skunkworks/);
  t.deepEqual(
    app.events.filter((e) => e.name === 'groups:invited').map((e) => e.payload.userId),
    [app.ids.ann, app.ids.bob],
  );
});

eachApp('leaving, the last admin, removing, promoting, demoting and handing the group over', groupApp, async (t, app) => {
  for (const u of ['owner', 'ann', 'bob']) await app.member(u);
  await app.member('marie', { locale: 'fr' });
  const id = await app.group('owner', { name: 'Choir', visibility: 'closed' });
  await app.join(id, 'ann');
  await app.join(id, 'bob');
  await app.join(id, 'marie');
  const owner = await app.as('owner');
  const last = await owner.post(`/groups/${id}/leave`);
  t.is(last.status, 409);
  t.regex(last.text, /You are the last admin of this group/);
  t.is(await role(app, id, 'owner'), 'admin', 'nothing changed');

  t.is((await owner.post(`/groups/${id}/members/${app.ids.marie}/promote`)).status, 303);
  t.is(await role(app, id, 'marie'), 'admin');
  const marie = await app.as('marie');
  t.is((await marie.post(`/groups/${id}/members/${app.ids.owner}/demote`)).status, 409, 'the owner stays an admin');
  t.is((await marie.post(`/groups/${id}/members/${app.ids.owner}/remove`)).status, 409, 'the owner cannot be removed');
  t.is((await owner.post(`/groups/${id}/members/${app.ids.marie}/demote`)).status, 303);
  const refused = await marie.post(`/groups/${id}/leave`);
  t.is(refused.status, 303, 'a plain member leaves freely');
  t.is(await role(app, id, 'marie'), null);
  await app.join(id, 'marie', 'admin');
  t.is((await owner.post(`/groups/${id}/transfer`, { user: 'marie' })).status, 303);
  t.is((await owner.post(`/groups/${id}/leave`)).status, 303, 'the former owner leaves: another admin remains');
  const french = await marie.post(`/groups/${id}/leave`);
  t.is(french.status, 409);
  t.regex(french.text, /Vous êtes le dernier administrateur de ce groupe/, 'the refusal speaks French to a French member');

  const ann = await app.as('ann');
  t.is((await ann.post(`/groups/${id}/members/${app.ids.bob}/remove`)).status, 403, 'members do not remove members');
  t.is((await marie.post(`/groups/${id}/members/${app.ids.bob}/remove`)).status, 303);
  t.is(await role(app, id, 'bob'), null);
  t.is((await marie.post(`/groups/${id}/members/${app.ids.bob}/remove`)).status, 404);

  const notMember = await marie.post(`/groups/${id}/transfer`, { user: 'bob' });
  t.is(notMember.status, 400, 'only to a member: the form comes back');
  t.regex(notMember.text, /Cette personne n’est pas membre du groupe/);
  t.regex(notMember.text, /name="user" type="text" value="bob"/);
  t.is((await marie.post(`/groups/${id}/transfer`, { user: 'ann' })).status, 303);
  t.is((await app.db('entities').where({ id }).first('owner_id')).owner_id, app.ids.ann);
  t.is(await role(app, id, 'ann'), 'admin');
  t.is(await role(app, id, 'marie'), 'admin', 'the former owner stays an admin');
  t.is((await ann.post(`/groups/${id}/leave`)).status, 303, 'the owner may leave while another admin remains');
  t.is((await app.db('entities').where({ id }).first('owner_id')).owner_id, app.ids.marie, 'ownership passes to the other admin');
});

eachApp('an archived group is read-only: no joining, no composer, no invitations; deleting hides it and its content', groupApp, async (t, app) => {
  for (const u of ['owner', 'ann', 'bob']) await app.member(u);
  const id = await app.group('owner', { name: 'Old project', visibility: 'open' });
  await app.join(id, 'ann');
  const post = await app.status('ann', 'before-archive', id, 'network');
  const owner = await app.as('owner');
  t.regex((await owner.get(`/groups/${id}`)).text, /activity-composer/, 'members get a composer');
  t.is((await owner.post(`/groups/${id}/archive`)).status, 303);
  const page = await (await app.as('ann')).get(`/groups/${id}`);
  t.regex(page.text, /This group is archived/);
  t.notRegex(page.text, /activity-composer/, 'no composer in an archived group');
  t.regex(page.text, /before-archive/, 'still readable');
  const bob = await app.as('bob');
  const join = await bob.post(`/groups/${id}/join`);
  t.is(join.status, 409);
  t.regex(join.text, /archived/);
  t.is((await owner.post(`/groups/${id}/invite`, { username: 'bob' })).status, 400);
  const { groupFor } = await import('../../../plugins/groups/api');
  t.like(await groupFor(app.rt, id, (await app.rt.users.viewer(app.ids.ann)) ?? null), { archived: true, canPost: false });
  t.is((await owner.post(`/groups/${id}/unarchive`)).status, 303);
  t.is((await bob.post(`/groups/${id}/join`)).status, 303);

  const wrong = await owner.post(`/groups/${id}/delete`, { confirm: 'Old projet' });
  t.is(wrong.status, 400);
  t.regex(wrong.text, /Type the group(&#x27;|')s name exactly/);
  t.regex(wrong.text, /value="Old projet"/, 'what was typed is kept');
  t.is((await owner.post(`/groups/${id}/delete`, { confirm: 'Old project' })).status, 303);
  t.is((await owner.get(`/groups/${id}`)).status, 404);
  t.is((await bob.get(`/status/${post}`)).status, 404, 'what was posted in it goes with it');
  t.notRegex((await owner.get('/groups')).text, /Old project/);
  t.notRegex((await bob.get('/groups/mine')).text, /Old project/);
  t.is(app.events.filter((e) => e.name === 'groups:deleted').length, 1);
});
