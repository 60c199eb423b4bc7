// Changes that must take effect at once: making an open group secret hides it and its
// content from former viewers in the same request; removing a member removes their access.
// Posting into a group: the levels offered and enforced; "created the group" in the feed;
// @group mentions reach members only when the poster belongs to the group.
import { eachGroupApp } from './support';

eachGroupApp('making an open group secret hides it and everything in it from former viewers at once', async (t, app) => {
  for (const u of ['owner', 'ann', 'outsider']) await app.member(u);
  const id = await app.group('owner', { name: 'Lanterns', visibility: 'open', description: 'Evening walks' });
  await app.join(id, 'ann');
  const post = await app.status('ann', 'lantern-walk tonight', id, 'network');
  const outsider = await app.as('outsider');
  t.regex((await outsider.get('/activity')).text, /lantern-walk/);
  t.regex((await outsider.get('/activity')).text, /created a group[\s\S]*Lanterns/, '"created a group" for an open group');
  t.is((await outsider.get(`/status/${post}`)).status, 200);
  t.is((await outsider.post(`/groups/${id}/join`)).status, 303, 'open: one click');
  t.is((await outsider.post(`/groups/${id}/leave`)).status, 303);
  await outsider.get('/groups/mine'); // shows the "you have left" flash

  const owner = await app.as('owner');
  const saved = await owner.post(`/groups/${id}/edit`, {
    name: 'Lanterns',
    description: 'Evening walks',
    category: 'social',
    visibility: 'secret',
  });
  t.is(saved.status, 303);
  t.is((await app.db('entities').where({ id: post }).first('access')).access, 'group', 'the content moved to the group level');
  t.like(await app.db('entities').where({ id }).first('access', 'container_id'), { access: 'group', container_id: id });
  for (const url of ['/activity', '/groups', `/groups?q=lantern`])
    t.notRegex((await outsider.get(url)).text, /lantern-walk|Lanterns/, `gone from ${url}`);
  t.is((await outsider.get(`/status/${post}`)).status, 404);
  t.is((await outsider.get(`/groups/${id}`)).status, 404);
  t.regex((await (await app.as('ann')).get(`/groups/${id}`)).text, /lantern-walk/, 'members still read it');
  t.deepEqual(
    app.events.filter((e) => e.name === 'groups:visibilityChanged').map((e) => e.payload),
    [{ networkId: 1, groupId: id, from: 'open', to: 'secret' }],
  );

  // Opening it again lists it, but does not widen what was posted while it was secret.
  await owner.post(`/groups/${id}/edit`, { name: 'Lanterns', description: 'Evening walks', category: 'social', visibility: 'closed' });
  t.regex((await outsider.get('/groups')).text, /Lanterns/);
  t.is((await outsider.get(`/status/${post}`)).status, 404);
});

eachGroupApp('a removed member loses access at once; a member who leaves a secret group no longer knows it', async (t, app) => {
  for (const u of ['owner', 'ann', 'bob']) await app.member(u);
  const id = await app.group('owner', { name: 'Cellar', visibility: 'secret' });
  await app.join(id, 'ann');
  await app.join(id, 'bob');
  const post = await app.status('owner', 'cellar-secret plans', id, 'group');
  const ann = await app.as('ann');
  t.is((await ann.get(`/status/${post}`)).status, 200);
  t.is((await (await app.as('owner')).post(`/groups/${id}/members/${app.ids.ann}/remove`)).status, 303);
  t.is((await ann.get(`/status/${post}`)).status, 404);
  t.is((await ann.get(`/groups/${id}`)).status, 404);
  t.notRegex((await ann.get('/activity')).text, /cellar-secret/);
  t.notRegex((await ann.get('/feed')).text, /cellar-secret/);
  const bob = await app.as('bob');
  const left = await bob.post(`/groups/${id}/leave`);
  t.is(left.status, 303);
  t.regex(left.headers.location, /\/groups\/mine$/, 'back to my groups, not to a page that is gone');
  t.is((await bob.get(`/groups/${id}`)).status, 404);
});

eachGroupApp(
  'posting into a group: open groups offer network or group, closed ones only group, and a forged wider level or an archived group is refused',
  async (t, app) => {
    for (const u of ['owner', 'ann', 'outsider']) await app.member(u);
    const open = await app.group('owner', { name: 'Bakers', visibility: 'open' });
    const closed = await app.group('owner', { name: 'Tasters', visibility: 'closed' });
    const owner = await app.as('owner');
    const openPage = (await owner.get(`/groups/${open}`)).text;
    t.regex(openPage, /<option value="network" selected>/);
    t.regex(openPage, /<option value="group">/);
    t.regex(openPage, new RegExp(`name="container" value="${open}"`));
    const closedPage = (await owner.get(`/groups/${closed}`)).text;
    t.regex(closedPage, /<option value="group" selected>/);
    t.notRegex(closedPage, /<option value="network"/);
    t.notRegex((await (await app.as('outsider')).get(`/groups/${open}`)).text, /activity-composer/, 'non-members get no composer');

    const forged = await owner.post('/status', { body: 'forged-wide post', access: 'members', container: String(closed) });
    t.is(forged.status, 400, 'a level the group does not allow is refused, with the composer shown again');
    t.regex(forged.text, /Choose who can see this post/);
    t.is(await app.db('status_posts').where({ body: 'forged-wide post' }).first(), undefined);
    t.notRegex((await (await app.as('outsider')).get('/activity')).text, /forged-wide/);
    const outsider = await app.as('outsider');
    const intruder = await outsider.post('/status', { body: 'intruder post', access: 'network', container: String(open) });
    t.is(intruder.status, 400, 'non-members cannot post into an open group either');
    t.regex(intruder.text, /You cannot post in this group/);
    const fine = await app.status('owner', 'open-network post', open, 'network');
    t.is((await app.db('entities').where({ id: fine }).first('access')).access, 'network');
    const page = await owner.post('/status', { body: 'from the page', access: 'group', container: String(open), next: `/groups/${open}` });
    t.is(page.headers.location, `/groups/${open}`, 'the composer brings the member back to the group');
    t.notRegex((await (await app.as('outsider')).get('/activity')).text, /created a group[\s\S]*Tasters/, 'no "created" act for a closed group');
    await app.db('groups').where({ entity_id: open }).update({ archived_at: Date.now() });
    const archived = await owner.post('/status', { body: 'into the archive', access: 'network', container: String(open) });
    t.is(archived.status, 400, 'an archived group takes no posts');
    t.regex(archived.text, /You cannot post in this group/);
  },
);

eachGroupApp('@group mentions reach the members only when the poster belongs to the group (or moderates)', async (t, app) => {
  for (const u of ['owner', 'ann', 'bob', 'outsider']) await app.member(u);
  await app.member('mod', { role: 'moderator' });
  const secret = await app.group('owner', { name: 'Night Owls', visibility: 'secret' });
  const open = await app.group('owner', { name: 'Night Owls', visibility: 'open' });
  await app.join(secret, 'ann');
  await app.join(open, 'bob');
  const handles = (await app.db('groups').whereIn('entity_id', [secret, open]).orderBy('entity_id').pluck('handle')) as string[];
  t.deepEqual(handles, ['night-owls', 'night-owls-2'], 'one handle per group, unique in the network');
  const mentioned = () => app.events.filter((e) => e.name === 'content:mentioned').map((e) => [e.payload.userId, e.payload.viaGroup]);

  await app.status('outsider', 'hello @night-owls and @night-owls-2', null, 'members');
  t.deepEqual(mentioned(), [], 'an outsider reaches neither group, and learns nothing of the secret one');
  await app.status('ann', 'hi @night-owls', null, 'members');
  t.deepEqual(mentioned(), [[app.ids.owner, secret]], 'a member of the secret group reaches its other members who can see the post');
  app.events.length = 0;
  await app.status('ann', 'psst @Night-Owls', secret, 'group');
  t.deepEqual(mentioned(), [[app.ids.owner, secret]]);
  app.events.length = 0;
  await app.status('mod', 'moderators may @night-owls-2', null, 'members');
  t.deepEqual(
    mentioned().sort(),
    [
      [app.ids.owner, open],
      [app.ids.bob, open],
    ].sort(),
  );
});
