/** The admin permissions page: who may do what, per network (both databases). */
import type { TestAgent } from '../../helpers/app';
import { addSubnetwork, eachAdminApp, MEMBER } from './support';

/** Whether the page's box for `role` on `capability` is checked. */
function checked(html: string, capability: string, role: string): boolean {
  const m = new RegExp(`name="roles\\[${capability.replace(/\./g, '\\.')}\\]" value="${role}"( checked)?`).exec(html);
  if (!m) throw new Error(`no box for ${capability}/${role}`);
  return !!m[1];
}

/** The form as the page shows it (every box), with `change` applied: capability → checked roles. */
function formFrom(html: string, change: Record<string, Record<string, boolean>> = {}): URLSearchParams {
  const state = new Map<string, Set<string>>();
  for (const m of html.matchAll(/name="roles\[([^\]]+)\]" value="([a-z]*)"( checked)?/g)) {
    const roles = state.get(m[1]) ?? new Set<string>();
    if (m[2] && m[3]) roles.add(m[2]);
    state.set(m[1], roles);
  }
  for (const [cap, roles] of Object.entries(change)) {
    for (const [role, on] of Object.entries(roles)) {
      if (on) state.get(cap)!.add(role);
      else state.get(cap)!.delete(role);
    }
  }
  const form = new URLSearchParams();
  for (const [cap, roles] of state) {
    form.append(`roles[${cap}]`, '');
    for (const r of roles) form.append(`roles[${cap}]`, r);
  }
  return form;
}

async function save(agent: TestAgent, base: string, change: Record<string, Record<string, boolean>>) {
  const page = await agent.http.get(`${base}/admin/permissions`);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  const form = formFrom(page.text, change);
  form.set('_csrf', token);
  return agent.http.post(`${base}/admin/permissions`).type('form').send(form.toString());
}

eachAdminApp('admins grant and revoke capabilities per role, per network', async (t, app) => {
  const rt = app.app.ruche;
  await rt.networks.update(app.rootId, { joinPolicy: 'invitation' }); // members invite where people join by invitation
  const member = await app.member();
  t.is((await member.http.get('/admin/permissions')).status, 403);
  t.is((await member.http.get('/members/invite')).status, 200);

  const admin = await app.admin();
  const page = await admin.http.get('/admin/permissions');
  t.is(page.status, 200);
  t.regex(page.text, /Invite people to join/);
  t.regex(page.text, /Open the administration area/);
  t.regex(page.text, /href="\/admin\/permissions"/, 'listed in the admin navigation');
  t.true(checked(page.text, 'core.invite', 'member'));
  t.false(checked(page.text, 'core.invite', 'guest'));
  t.false(checked(page.text, 'admin.access', 'moderator'));
  t.notRegex(page.text, /name="roles\[[^\]]+\]" value="admin"/, 'the admin column is not editable');

  // Revoke inviting from members: only that row is written.
  const revoked = await save(admin, '', { 'core.invite': { member: false } });
  t.is(revoked.status, 303);
  t.deepEqual(
    await rt
      .db('role_grants')
      .where({ network_id: app.rootId })
      .select('capability', 'role')
      .then((rows) => rows.map((r) => `${r.capability}/${r.role}`)),
    ['core.invite/member'],
  );
  t.is((await member.http.get('/members/invite')).status, 403);
  const after = await admin.http.get('/admin/permissions');
  t.regex(after.text, /The permissions are saved/);
  t.false(checked(after.text, 'core.invite', 'member'));
  t.regex(after.text, /Changed from the default/);

  // Staff rights are never offered to guests, and a forged grant is refused.
  t.regex(page.text, /<input type="checkbox" disabled aria-label="[^"]*Guests?[^"]*" title="Administration and moderation rights cannot be given/);
  const forged = await save(admin, '', { 'core.invite': { member: true } }).then(async () => {
    const p = await admin.http.get('/admin/permissions');
    const token = /name="_csrf" value="([^"]+)"/.exec(p.text)![1];
    return admin.http
      .post('/admin/permissions')
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&roles%5Badmin.access%5D=&roles%5Badmin.access%5D=guest`);
  });
  t.is(forged.status, 400);
  t.regex(forged.text, /cannot be given to people who are not signed in/);
  t.false(rt.permissions.can(null, 'admin.access', app.rootId));

  // Granted back: the member may invite again and the grant equals the default.
  t.is((await save(admin, '', { 'core.invite': { member: true } })).status, 303);
  t.is((await member.http.get('/members/invite')).status, 200);
  const back = await admin.http.get('/admin/permissions');
  t.true(checked(back.text, 'core.invite', 'member'));
  t.notRegex(back.text, /Changed from the default/);

  // Moderators may open the administration once granted.
  const bob = await rt.db('users').where({ username: MEMBER.username }).first('id');
  await rt.users.setRole(Number(bob.id), app.rootId, 'moderator');
  const moderator = await app.member();
  t.is((await moderator.http.get('/admin')).status, 403);
  t.is((await save(admin, '', { 'admin.access': { moderator: true } })).status, 303);
  t.is((await moderator.http.get('/admin')).status, 200);
  t.is((await moderator.http.get('/admin/permissions')).status, 200);

  // Tampered input: refused, nothing changed.
  const before = await rt.db('role_grants').select('network_id', 'capability', 'role', 'granted').orderBy(['capability', 'role']);
  const token = await admin.csrf('/admin/permissions');
  for (const tampered of [
    'roles[core.invite]=&roles[core.nothing]=&roles[core.nothing]=member',
    'roles[core.invite]=&roles[core.invite]=owner',
    'roles[core.invite]=&roles[core.invite]=admin',
    'roles[core.invite]=&roles[core.invite][x]=member',
    'roles=member',
    'other=1',
  ]) {
    const res = await admin.http
      .post('/admin/permissions')
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&${tampered}`);
    t.is(res.status, 400, tampered);
  }
  t.deepEqual(await rt.db('role_grants').select('network_id', 'capability', 'role', 'granted').orderBy(['capability', 'role']), before);
  t.is((await moderator.http.get('/admin')).status, 200);
  t.is((await admin.http.post('/admin/permissions').type('form').send(`roles[core.invite]=`)).status, 403, 'CSRF is checked');

  // Grants are per network: a sub-network keeps the defaults.
  const subId = await addSubnetwork(app, 'lab', 'Lab');
  await rt.networks.update(subId, { joinPolicy: 'invitation' });
  await rt.users.setRole(Number(bob.id), app.rootId, 'member');
  await rt.users.setRole(Number(bob.id), subId, 'member');
  t.is((await save(admin, '', { 'core.invite': { member: false } })).status, 303);
  const inLab = await app.member();
  t.is((await inLab.http.get('/members/invite')).status, 403);
  t.is((await inLab.http.get('/n/lab/members/invite')).status, 200);
  const lab = await admin.http.get('/n/lab/admin/permissions');
  t.is(lab.status, 200);
  t.true(checked(lab.text, 'core.invite', 'member'));
  t.false(checked(lab.text, 'admin.access', 'moderator'));
  t.is((await save(admin, '/n/lab', { 'core.participate': { guest: true } })).status, 303);
  t.deepEqual(
    await rt
      .db('role_grants')
      .where({ network_id: subId })
      .select('capability', 'role', 'granted')
      .then((rows) => rows.map((r) => [r.capability, r.role, !!r.granted])),
    [['core.participate', 'guest', true]],
  );
  t.false(checked((await admin.http.get('/admin/permissions')).text, 'core.participate', 'guest'));

  // A plugin disabled in a network: its capabilities are neither listed nor accepted there.
  await rt.pluginState.disable('likes', subId);
  const without = await admin.http.get('/n/lab/admin/permissions');
  t.notRegex(without.text, /roles\[likes\.react\]/);
  t.regex(without.text, /roles\[connections\.use\]/);
  t.regex(without.text, /roles\[profiles\.view\]/);
  const labToken = /name="_csrf" value="([^"]+)"/.exec(without.text)![1];
  t.is(
    (
      await admin.http
        .post('/n/lab/admin/permissions')
        .type('form')
        .send(`_csrf=${encodeURIComponent(labToken)}&roles[likes.react]=`)
    ).status,
    400,
  );

  // French.
  await rt.users.setLocale(1, 'fr');
  const fr = await admin.http.get('/admin/permissions');
  t.regex(fr.text, /Enregistrer les permissions/);
  t.regex(fr.text, /Modérateurs/);
});
