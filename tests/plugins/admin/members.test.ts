/**
 * The members console (plugins/admin/members): the list of a network's members with its
 * search, filters and keyset paging; each action on a member (role, suspension with a
 * reason and an end, reactivation, reset link, sessions) with its audit entry; who may do
 * what: a sub-network's admin sees and acts on that network's members only, and on an
 * account itself only when it belongs to that network alone; a member cannot reach the
 * console. Both databases.
 */
import type { Runtime } from '../../../core';
import { readMails } from '../../helpers/mail';
import { addMemberships, createMember, signedIn } from '../../helpers/members';
import { insertUser } from '../../helpers/rows';
import { addSubnetwork, decode, eachAdminApp, postForm } from './support';

const DAY = 86_400_000;

/** The member rows of the list page, as `username|role|status`, in order. */
function listed(html: string): string[] {
  return [...html.matchAll(/<tr id="member-\d+" data-status="([^"]+)" data-role="([^"]+)">[\s\S]*?<span class="table__sub">@([^ ]+) ·/g)].map(
    (m) => `${m[3]}|${m[2]}|${m[1]}`,
  );
}

const audits = async (rt: Runtime, action: string) =>
  (await rt.db('audit_log').where({ action }).orderBy('id').select('object_id', 'before', 'after', 'network_id')) as {
    object_id: string;
    before: string | null;
    after: string | null;
    network_id: number | null;
  }[];

eachAdminApp('the members list searches, filters and pages a network’s members', async (t, app) => {
  const rt = app.app.ruche;
  const now = Date.now();
  const old = now - 200 * DAY;
  const zoe = await insertUser(rt.db, 'zoe', { display_name: 'Zoé Martin', status: 'suspended', last_active_at: now - 2 * DAY });
  const yan = await insertUser(rt.db, 'yan', { display_name: 'Yan Li', last_active_at: now - 100 * DAY });
  await rt.db('memberships').insert([
    { user_id: zoe, network_id: app.rootId, role: 'moderator', created_at: old },
    { user_id: yan, network_id: app.rootId, role: 'member', created_at: old + DAY },
  ]);
  const admin = await app.admin();

  const all = await admin.http.get('/admin/members');
  t.is(all.status, 200);
  t.deepEqual(listed(all.text), ['bob|member|active', 'admin|admin|active', 'yan|member|active', 'zoe|moderator|suspended']);
  t.regex(all.text, /href="\/admin\/members\/invite"/);
  const get = async (qs: string) => listed((await admin.http.get(`/admin/members?${qs}`)).text);
  t.deepEqual(await get('q=MARTIN'), ['zoe|moderator|suspended'], 'search by name, any case');
  t.deepEqual(await get('q=yan%40example'), ['yan|member|active'], 'search by address');
  t.deepEqual(await get('q=%25'), [], 'a % is a character, not a wildcard');
  t.deepEqual(await get('role=moderator'), ['zoe|moderator|suspended']);
  t.deepEqual(await get('status=suspended'), ['zoe|moderator|suspended']);
  t.deepEqual(await get('active=7'), ['admin|admin|active', 'zoe|moderator|suspended'], 'active this week (the admin just signed in)');
  t.deepEqual(await get('active=idle90'), ['bob|member|active', 'yan|member|active'], 'not in 90 days, or never');
  t.deepEqual(await get('active=never'), ['bob|member|active']);
  const day = (at: number) => new Date(at).toISOString().slice(0, 10);
  t.deepEqual(await get(`joinedTo=${day(old + DAY)}`), ['yan|member|active', 'zoe|moderator|suspended']);
  t.deepEqual(await get(`joinedFrom=${day(old + DAY)}&joinedTo=${day(old + DAY)}`), ['yan|member|active']);

  // A profile value (the profiles plugin's hooks): a choice field "Site", matched whatever the case, among active accounts.
  const [site] = await rt
    .db('profile_fields')
    .insert({ key: 'site', label_en: 'Site', label_fr: 'Site', type: 'choice', choices: '["Lyon","Paris"]', visibility: 'members', position: 0 })
    .returning('id');
  const siteId = Number(typeof site === 'object' ? site.id : site);
  await rt.db('profile_values').insert([
    { user_id: yan, field_id: siteId, value: 'Lyon' },
    { user_id: zoe, field_id: siteId, value: 'Paris' },
  ]);
  t.regex((await admin.http.get('/admin/members')).text, /<option value="x_site">Site<\/option>/);
  t.deepEqual(await get('field=x_site&value=lyon'), ['yan|member|active']);
  t.deepEqual(await get('field=x_site&value=Lyon&role=moderator'), [], 'with the other filters');
  t.deepEqual(await get('field=x_site&value=Paris'), [], 'the profiles plugin matches active accounts only');
  t.deepEqual(await get('field=x_site&value=Nantes'), []);
  const unknown = await admin.http.get('/admin/members?field=x_nothing&value=a');
  t.is(unknown.status, 422);
  t.regex(unknown.text, /This profile field cannot be searched\./);

  const bad = await admin.http.get('/admin/members?joinedFrom=2026-13-01&q=keep+me');
  t.is(bad.status, 422);
  t.regex(bad.text, /Give a date as YYYY-MM-DD\./);
  t.regex(bad.text, /value="keep me"/, 'the filters typed are kept');
  t.regex((await admin.http.get(`/admin/members?joinedFrom=${day(now)}&joinedTo=${day(old)}`)).text, /The end date must be after the start date\./);

  // Keyset paging: 50 a page, newest members first, every member once.
  const many: number[] = [];
  for (let i = 0; i < 52; i++) many.push(await insertUser(rt.db, `m${String(i).padStart(2, '0')}`));
  await rt
    .db('memberships')
    .insert(many.map((user_id, i) => ({ user_id, network_id: app.rootId, role: 'member', created_at: old - (i + 1) * 1000 })));
  const first = await admin.http.get('/admin/members');
  const next = /href="([^"]+)" rel="next"/.exec(first.text)![1];
  const second = await admin.http.get(decode(next));
  const seen = [...listed(first.text), ...listed(second.text)];
  t.is(listed(first.text).length, 50);
  t.is(seen.length, 56);
  t.is(new Set(seen).size, 56);
  t.deepEqual(listed(second.text).slice(-2), ['m50|member|active', 'm51|member|active']);
  t.notRegex(second.text, /rel="next"/);
});

eachAdminApp('each action on a member is done, refused when it should be, and written to the audit log', async (t, app, db) => {
  const rt = app.app.ruche;
  const admin = await app.admin();
  const bob = Number((await rt.db('users').where({ username: 'bob' }).first('id')).id);
  const bobAgent = await app.member();
  const page = `/admin/members/${bob}`;
  const shown = await admin.http.get(page);
  t.is(shown.status, 200);
  t.regex(shown.text, /<h1 id="admin-title">bob<\/h1>/);
  t.is((shown.text.match(/class="member-session"/g) ?? []).length, 1, 'bob’s open session is listed');

  // Role: changed, audited; the same role again changes nothing; a made-up role is refused.
  t.is((await postForm(admin, `${page}/role`, { role: 'moderator' }, page)).status, 303);
  t.is((await rt.db('memberships').where({ user_id: bob, network_id: app.rootId }).first('role')).role, 'moderator');
  t.is((await postForm(admin, `${page}/role`, { role: 'moderator' }, page)).status, 303, 'a double submit answers as the first');
  t.is((await postForm(admin, `${page}/role`, { role: 'owner' }, page)).status, 422);
  t.is((await postForm(admin, `/admin/members/1/role`, { role: 'member' }, page)).status, 403, 'nobody demotes themselves');
  const roles = await audits(rt, 'core.user.role');
  t.deepEqual(
    roles.map((r) => [r.object_id, r.before, r.after, Number(r.network_id)]),
    [[String(bob), '{"role":"member"}', '{"role":"moderator"}', app.rootId]],
  );

  // Suspension: reason required and kept with the input; an end in the past refused; then done.
  const bobBack = await signedIn(app, 'bob');
  const missing = await postForm(admin, `${page}/suspend`, { reason: ' ', until: '2999-03-04' }, page);
  t.is(missing.status, 422);
  t.regex(missing.text, /Say why the member is suspended\./);
  t.regex(missing.text, /value="2999-03-04"/, 'the end typed is kept');
  const past = await postForm(admin, `${page}/suspend`, { reason: 'Spam', until: '2001-01-01' }, page);
  t.regex(past.text, /The end of a suspension must be in the future\./);
  t.regex(past.text, />Spam<\/textarea>/);
  t.regex((await postForm(admin, `${page}/suspend`, { reason: 'Spam', until: '2001-02-30' }, page)).text, /Give a date as YYYY-MM-DD\./);
  t.is((await rt.db('users').where({ id: bob }).first('status')).status, 'active', 'nothing changed');
  t.is((await postForm(admin, `${page}/suspend`, { reason: 'Spam in three groups', until: '2999-03-04' }, page)).status, 303);
  const suspended = await rt.db('users').where({ id: bob }).first('status', 'suspension_reason', 'suspended_until');
  t.is(suspended.status, 'suspended');
  t.is(suspended.suspension_reason, 'Spam in three groups');
  t.is(Number(suspended.suspended_until), Date.UTC(2999, 2, 4), 'the end is the start of that day in the admin’s zone (UTC here)');
  t.is((await bobAgent.http.get('/account')).status, 302, 'their sessions ended');
  t.is((await bobBack.http.get('/account')).status, 302);
  const after = await admin.http.get(page);
  t.regex(after.text, /Spam in three groups/);
  t.regex(after.text, /Reactivate the account/);
  t.is((await postForm(admin, `/admin/members/1/suspend`, { reason: 'x' }, page)).status, 422, 'nobody suspends themselves');
  t.is((await rt.db('users').where({ id: 1 }).first('status')).status, 'active');

  // A suspended account gets no reset link; reactivated, it does.
  t.is((await postForm(admin, `${page}/reset`, {}, page)).status, 409);
  t.is((await postForm(admin, `${page}/reactivate`, {}, page)).status, 303);
  t.is((await postForm(admin, `${page}/reactivate`, {}, page)).status, 303, 'a double submit answers as the first');
  t.is((await rt.db('users').where({ id: bob }).first('status')).status, 'active');
  t.is((await postForm(admin, `${page}/reset`, {}, page)).status, 303);
  const mails = (await readMails(db.dataDir)).filter((m) => m.to.includes('bob@example.com'));
  t.is(mails.length, 1);
  t.regex(mails[0].text, /\/password\/reset\?token=/);

  // Sessions: one ended, then all.
  const one = await signedIn(app, 'bob');
  const two = await signedIn(app, 'bob');
  const ids = (await rt.sessions.list(bob)).map((s) => s.id);
  t.is(ids.length, 2);
  t.is((await postForm(admin, `${page}/sessions/end`, { session: ids[0] }, page)).status, 303);
  t.is((await rt.sessions.list(bob)).length, 1);
  t.is((await postForm(admin, `${page}/sessions/end`, { session: 'x'.repeat(10) }, page)).status, 400);
  t.is((await postForm(admin, `${page}/sessions/end`, { session: 'all' }, page)).status, 303);
  t.is((await one.http.get('/account')).status, 302);
  t.is((await two.http.get('/account')).status, 302);

  const actions = (await rt.db('audit_log').orderBy('id').select('action', 'object_id', 'actor_id')) as {
    action: string;
    object_id: string;
    actor_id: number;
  }[];
  t.deepEqual(
    actions.map((a) => a.action),
    ['core.user.role', 'core.user.suspend', 'core.user.unsuspend', 'admin.member.resetLink', 'admin.member.sessionEnd', 'admin.member.sessionsEnd'],
  );
  t.true(actions.every((a) => a.object_id === String(bob) && Number(a.actor_id) === 1));
  const suspendRow = (await audits(rt, 'core.user.suspend'))[0];
  t.deepEqual(JSON.parse(suspendRow.after!), { status: 'suspended', reason: 'Spam in three groups', until: Date.UTC(2999, 2, 4) });
  t.is(suspendRow.network_id, null, 'an account is installation-wide');
  const log = await admin.http.get('/admin/audit');
  t.regex(log.text, /Password-reset link sent/);
  t.regex(log.text, /All sessions ended/);
});

eachAdminApp('a sub-network’s admin manages its members only; a member cannot reach the console', async (t, app) => {
  const rt = app.app.ruche;
  const b = await addSubnetwork(app, 'b', 'Network B');
  const carol = await createMember(rt, 'carol');
  const dan = await createMember(rt, 'dan');
  await addMemberships(rt, b, [carol], 'admin');
  await addMemberships(rt, b, [dan]);
  // An isolated partner's member: their account belongs to network B alone.
  const pia = await insertUser(rt.db, 'pia');
  await addMemberships(rt, b, [pia]);
  const bob = Number((await rt.db('users').where({ username: 'bob' }).first('id')).id);
  const carolAgent = await signedIn(app, 'carol');

  const list = await carolAgent.http.get('/n/b/admin/members');
  t.is(list.status, 200);
  t.deepEqual(listed(list.text).sort(), ['carol|admin|active', 'dan|member|active', 'pia|member|active']);
  t.is((await carolAgent.http.get('/admin/members')).status, 403, 'the root network’s console is not hers');
  t.is((await carolAgent.http.get(`/n/b/admin/members/${bob}`)).status, 404, 'a member of another network is not found');
  const from = '/n/b/admin/members';
  for (const [path, fields] of [
    ['role', { role: 'admin' }],
    ['suspend', { reason: 'x' }],
    ['reactivate', {}],
    ['reset', {}],
    ['sessions/end', { session: 'all' }],
  ] as const) {
    t.is((await postForm(carolAgent, `/n/b/admin/members/${bob}/${path}`, fields, from)).status, 404, `${path} on another network's member`);
  }

  // Dan is also in the root network: his role in B is hers to change, his account is not.
  t.is((await postForm(carolAgent, `/n/b/admin/members/${dan}/role`, { role: 'moderator' }, from)).status, 303);
  t.is((await rt.db('memberships').where({ user_id: dan, network_id: b }).first('role')).role, 'moderator');
  t.is((await rt.db('memberships').where({ user_id: dan, network_id: app.rootId }).first('role')).role, 'member', 'his root role is untouched');
  const danPage = await carolAgent.http.get(`/n/b/admin/members/${dan}`);
  t.regex(decode(danPage.text), /only the site's administrators suspend it/);
  t.notRegex(danPage.text, /Suspend the account/);
  t.is((await postForm(carolAgent, `/n/b/admin/members/${dan}/suspend`, { reason: 'x' }, from)).status, 403);
  t.is((await postForm(carolAgent, `/n/b/admin/members/${dan}/sessions/end`, { session: 'all' }, from)).status, 403);
  t.is((await rt.db('users').where({ id: dan }).first('status')).status, 'active');

  // Pia's account belongs to B alone: B's admin suspends it.
  t.is((await postForm(carolAgent, `/n/b/admin/members/${pia}/suspend`, { reason: 'Left the partner company' }, from)).status, 303);
  t.is((await rt.db('users').where({ id: pia }).first('status')).status, 'suspended');
  const entry = (await audits(rt, 'core.user.suspend'))[0];
  t.is(entry.object_id, String(pia));

  // The root admin acts on Dan's account from B's console too.
  const admin = await app.admin();
  t.is((await postForm(admin, `/n/b/admin/members/${dan}/suspend`, { reason: 'Root decision' }, '/n/b/admin/members')).status, 303);

  // A member and a guest.
  const member = await app.member();
  t.is((await member.http.get('/admin/members')).status, 403);
  t.is((await member.http.get(`/admin/members/${dan}`)).status, 403);
  t.is((await postForm(member, `/admin/members/${dan}/reactivate`, {}, '/')).status, 403);
  t.is((await postForm(member, '/admin/members/invite', { emails: 'x@example.com' }, '/')).status, 403);
  const guest = await app.agent().http.get('/admin/members');
  t.not(guest.status, 200);
  t.is((await rt.db('users').where({ id: dan }).first('status')).status, 'suspended');
});

eachAdminApp('bulk invitations: pasted or from a CSV file, each line checked, nothing lost', async (t, app, db) => {
  const rt = app.app.ruche;
  const admin = await app.admin();
  const from = '/admin/members/invite';
  const form = await admin.http.get(from);
  t.is(form.status, 200);
  t.regex(form.text, /enctype="multipart\/form-data"/);

  const pasted = 'ana@example.com, ben@example.com\nnot an address\nana@example.com\ncid@exa mple';
  const refused = await postForm(admin, from, { emails: pasted }, from);
  t.is(refused.status, 422);
  const text = decode(refused.text);
  t.regex(text, /3 lines have a problem: nothing was sent/);
  t.regex(text, /Line 2: no address in “not an address”\./);
  t.regex(text, /Line 3: “ana@example.com” is given twice\./);
  t.regex(text, /Line 4: “cid@exa” is not an email address\./);
  t.true(text.includes(pasted), 'the list comes back as typed');
  t.is((await readMails(db.dataDir)).length, 0);

  const token = await admin.csrf(from);
  const csv = 'Name;Email;Team\nAna;ana@example.com;Sales\nBen;"ben@example.com";Ops\nBob;bob@example.com;Ops\n';
  const sent = await admin.http.post(from).field('_csrf', token).field('emails', 'dee@example.com').attach('csv', Buffer.from(csv), 'people.csv');
  t.is(sent.status, 200);
  t.regex(sent.text, /3 invitations sent\./);
  t.regex(sent.text, /bob@example\.com/, 'the existing member is named as skipped');
  const to = (await readMails(db.dataDir)).map((m) => m.to).sort();
  t.deepEqual(to, ['ana@example.com', 'ben@example.com', 'dee@example.com']);
  const again = await admin.http.post(from).field('_csrf', token).field('emails', 'dee@example.com').attach('csv', Buffer.from(csv), 'people.csv');
  t.is(again.status, 200, 'a double submit answers as the first');
  t.is((await readMails(db.dataDir)).length, 3, 'and sends nothing twice');

  const badFile = await admin.http.post(from).field('_csrf', token).field('emails', '').attach('csv', Buffer.from('a\u0000b'), 'x.csv');
  t.is(badFile.status, 422);
  t.regex(badFile.text, /not a text \(CSV\) file/);
  t.is((await postForm(admin, from, { emails: '  ' }, from)).status, 422);
  const entries = await audits(rt, 'admin.member.invite');
  t.is(entries.length, 2);
  t.deepEqual(JSON.parse(entries[0].after!), { sent: 3, skipped: 1 });
});
