// What group managers do is written to the audit log (core/audit): approvals, roles, removals,
// archiving, hand-over and deletion, each with the group and the member it was about, in the
// group's network, readable by the network's admins at /admin/audit. Both databases.
import { ADMIN } from '../../helpers/app';
import { eachApp } from '../../helpers/each-app';
import { groupApp } from './support';

eachApp("group managers' actions are in the audit log of the group's network", groupApp, async (t, app) => {
  for (const u of ['owner', 'ann', 'bob']) await app.member(u);
  const id = await app.group('owner', { name: 'Choir', visibility: 'closed' });
  await app.join(id, 'ann');
  await app.join(id, 'bob');
  const owner = await app.as('owner');
  t.is((await owner.post(`/groups/${id}/members/${app.ids.ann}/promote`)).status, 303);
  t.is((await owner.post(`/groups/${id}/members/${app.ids.ann}/demote`)).status, 303);
  t.is((await owner.post(`/groups/${id}/members/${app.ids.bob}/remove`)).status, 303);
  t.is((await owner.post(`/groups/${id}/members/${app.ids.bob}/remove`)).status, 404, 'a refused action…');
  t.is((await owner.post(`/groups/${id}/archive`)).status, 303);
  t.is((await owner.post(`/groups/${id}/unarchive`)).status, 303);
  t.is((await owner.post(`/groups/${id}/members/${app.ids.ann}/promote`)).status, 303);
  t.is((await owner.post(`/groups/${id}/transfer`, { user: 'ann' })).status, 303);
  const ann = await app.as('ann');
  t.is((await ann.post(`/groups/${id}/delete`, { confirm: 'Choir' })).status, 303);

  const rows = (await app
    .db('audit_log')
    .orderBy('id')
    .select('action', 'actor_id', 'network_id', 'object_type', 'object_id', 'before', 'after')) as Record<string, unknown>[];
  t.deepEqual(
    rows.map((r) => [r.action, Number(r.actor_id), r.object_type, r.object_id]),
    [
      ['groups.member.promote', app.ids.owner, 'group', String(id)],
      ['groups.member.demote', app.ids.owner, 'group', String(id)],
      ['groups.member.remove', app.ids.owner, 'group', String(id)],
      ['groups.archive', app.ids.owner, 'group', String(id)],
      ['groups.unarchive', app.ids.owner, 'group', String(id)],
      ['groups.member.promote', app.ids.owner, 'group', String(id)],
      ['groups.transfer', app.ids.owner, 'group', String(id)],
      ['groups.delete', app.ids.ann, 'group', String(id)],
    ],
    '…writes nothing',
  );
  t.true(rows.every((r) => Number(r.network_id) === app.rt.networks.root().id));
  t.like(JSON.parse(String(rows[2].after)), { group: 'Choir', memberId: app.ids.bob });
  t.deepEqual(JSON.parse(String(rows[6].before)), { owner: app.ids.owner });
  t.like(JSON.parse(String(rows[7].before)), { name: 'Choir', visibility: 'closed' });

  const admin = app.agent();
  await admin.login(ADMIN.username, ADMIN.password);
  const page = await admin.http.get('/admin/audit?type=group');
  t.is(page.status, 200);
  t.regex(page.text, /Removed from a group/);
  t.regex(page.text, /Group deleted/);
  t.is((await (await app.as('owner')).get('/admin/audit')).status, 403, 'group managers do not read the network log');
});
