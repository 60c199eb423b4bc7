/**
 * The audit log (core/audit): admin actions of the core and of the admin and sub-networks
 * plugins write entries; the admin page filters and pages them and exports CSV; network
 * admins read their network only, root admins every network; old entries are purged.
 * Both databases.
 */
import { housekeeping } from '../../../core/jobs/housekeeping';
import { addMemberships, createMember, MEMBER_PASSWORD } from '../../helpers/members';
import { addSubnetwork, decode, eachAdminApp, postForm } from './support';

const DAY = 86_400_000;

/** The rows of the audit page as `action|object|change` lines, newest first. */
function rows(html: string): string[] {
  const plain = (text: string) =>
    decode(text.replace(/<[^>]+>/g, ' '))
      .replace(/\s+/g, ' ')
      .trim();
  return [...html.matchAll(/<tr id="audit-\d+" data-action="([^"]+)">([\s\S]*?)<\/tr>/g)].map((m) => {
    const object = /class="table__sub audit-object">([^<]*)</.exec(m[2])?.[1] ?? '';
    const change = /<td class="audit-change[^"]*"[^>]*>([\s\S]*?)<\/td>/.exec(m[2])?.[1] ?? '';
    return `${m[1]}|${decode(object)}|${plain(change)}`;
  });
}

eachAdminApp('admin actions of the core and the plugins are written to the audit log with what changed', async (t, app) => {
  const rt = app.app.ruche;
  const admin = await app.admin();
  const dora = await createMember(rt, 'dora');
  await rt.db('users').where({ id: dora }).update({ status: 'pending', approval_requested_at: Date.now(), applied_network_id: app.rootId });
  t.is((await postForm(admin, `/members/requests/${dora}`, { decision: 'approve' }, '/members/requests')).status, 303);
  t.is((await postForm(admin, '/admin/plugins/alpha/enable')).status, 303);
  t.is(
    (
      await postForm(admin, '/admin/plugins/alpha/settings', {
        'setting-title': 'Changed',
        'setting-limit': '5',
        'setting-layout': 'list',
        'setting-featured': 'on',
      })
    ).status,
    303,
  );
  t.is((await postForm(admin, '/admin/appearance', { siteName: 'Ruche Lab', locale: 'en', theme: 'default' })).status, 303);
  t.is((await postForm(admin, '/admin/registration', { policy: 'domain', domains: 'example.com', allowGuests: 'on' })).status, 303);
  const token = await admin.csrf('/admin/permissions');
  const granted = await admin.http
    .post('/admin/permissions')
    .type('form')
    .send(`_csrf=${encodeURIComponent(token)}&roles%5Badmin.access%5D=&roles%5Badmin.access%5D=moderator`);
  t.is(granted.status, 303);
  t.is((await postForm(admin, '/admin/plugins/alpha/disable')).status, 303);
  t.is((await postForm(admin, '/charter/edit', { charter: 'Be kind.' }, '/charter/edit')).status, 303);
  t.is((await postForm(admin, '/charter/accept', { version: '1' }, '/charter')).status, 303);
  // A refused form writes nothing.
  t.is((await postForm(admin, '/admin/appearance', { siteName: '', locale: 'en', theme: 'default' })).status, 422);

  const page = await admin.http.get('/admin/audit');
  t.is(page.status, 200);
  t.deepEqual(rows(page.text), [
    'core.charter.publish|charter #1|version 0 → 1',
    'admin.plugin.disable|plugin #alpha|',
    'admin.permission.grant|capability #admin.access|moderator false → true',
    'admin.registration.save|network #1|policy open → domain domains example.com allowGuests false → true',
    'admin.appearance.save|network #1|siteName Test network → Ruche Lab',
    'admin.settings.save|plugin #alpha|title Hello → Changed',
    'admin.plugin.enable|plugin #alpha|',
    `core.requests.approve|user #${dora}|username dora status active`,
  ]);
  t.regex(page.text, /Plugin settings changed/, 'actions are shown by their label');
  t.regex(page.text, /Administrator \(@admin\)|\(@admin\)/);
  const stored = await rt.db('audit_log').where({ action: 'admin.plugin.enable' }).first();
  t.is(Number(stored.actor_id), 1);
  t.truthy(stored.ip, 'the address is kept');
  t.is(Number(stored.network_id), app.rootId);

  // Filters: by action, by actor, by dates; bad dates are explained and kept.
  t.deepEqual(rows((await admin.http.get('/admin/audit?action=admin.plugin.enable')).text), ['admin.plugin.enable|plugin #alpha|']);
  t.is(rows((await admin.http.get('/admin/audit?actor=%40admin&type=network')).text).length, 2);
  t.regex((await admin.http.get('/admin/audit?actor=nobody')).text, /No member is called “nobody”/);
  const today = new Date().toISOString().slice(0, 10);
  t.is(rows((await admin.http.get(`/admin/audit?from=${today}&to=${today}`)).text).length, 8);
  t.is(rows((await admin.http.get('/admin/audit?to=2001-01-01')).text).length, 0);
  const bad = await admin.http.get('/admin/audit?from=2024-02-31&actor=admin');
  t.is(bad.status, 400);
  t.regex(bad.text, /Give a date as YYYY-MM-DD/);
  t.regex(bad.text, /name="from" value="2024-02-31"/);
  t.regex(bad.text, /name="actor" value="admin"/);

  // CSV export with the same filters; formulas are defused.
  const csv = await admin.http.get('/admin/audit.csv?type=plugin');
  t.is(csv.status, 200);
  t.regex(String(csv.headers['content-type']), /^text\/csv/);
  t.regex(String(csv.headers['content-disposition']), /attachment; filename="audit-/);
  const lines = csv.text.trim().split('\r\n');
  t.is(lines[0], 'id,time,network,actor_id,actor,action,object_type,object_id,before,after,ip,ref,ref_url');
  t.is(lines.length, 4);
  t.regex(lines[2], /"admin\.settings\.save","plugin","alpha","\{""title"":""Hello""\}","\{""title"":""Changed""\}"/);
  t.is((await admin.http.get('/admin/audit.csv?from=never')).status, 400);

  // French labels.
  await rt.users.setLocale(1, 'fr');
  const fr = await admin.http.get('/admin/audit');
  t.regex(fr.text, /Journal d’audit/);
  t.regex(fr.text, /Réglages d’extension modifiés/);
});

eachAdminApp('network admins read their network only; root admins read every network; members nobody', async (t, app) => {
  const rt = app.app.ruche;
  const created = await postForm(await app.admin(), '/admin/networks', { slug: 'lab', name: 'Lab', joinPolicy: 'open', theme: 'default' });
  t.is(created.status, 303);
  const lab = rt.networks.all().find((n) => n.slug === 'lab')!;
  const ops = await addSubnetwork(app, 'ops', 'Ops'); // made directly: no entry
  const carla = await createMember(rt, 'carla');
  await addMemberships(rt, lab.id, [carla], 'admin');
  await rt.audit.record({
    action: 'admin.plugin.enable',
    networkId: ops,
    actorId: 1,
    actorName: 'Admin',
    objectType: 'plugin',
    objectId: 'ops-only',
  });
  await rt.audit.record({
    action: 'admin.plugin.enable',
    networkId: lab.id,
    actorId: 1,
    actorName: 'Admin',
    objectType: 'plugin',
    objectId: 'lab-only',
  });

  const labAdmin = app.agent();
  await labAdmin.login('carla', MEMBER_PASSWORD);
  const own = await labAdmin.http.get('/n/lab/admin/audit');
  t.is(own.status, 200);
  t.regex(own.text, /plugin #lab-only/);
  t.regex(own.text, /Sub-network created/, 'the creation of their network is theirs to read');
  t.notRegex(own.text, /ops-only/);
  t.notRegex(own.text, /name="network"/, 'no choice of network');
  t.notRegex((await labAdmin.http.get('/n/lab/admin/audit.csv')).text, /ops-only/);
  t.is((await labAdmin.http.get('/n/ops/admin/audit')).status, 403, 'another network: refused');
  t.is((await labAdmin.http.get('/admin/audit')).status, 403, 'the root: refused');
  t.notRegex((await labAdmin.http.get('/n/lab/admin/audit?network=' + ops)).text, /ops-only/, 'the network filter is ignored below the root');

  const root = await app.admin();
  const all = await root.http.get('/admin/audit');
  t.regex(all.text, /ops-only/);
  t.regex(all.text, /lab-only/);
  const onlyOps = await root.http.get(`/admin/audit?network=${ops}`);
  t.regex(onlyOps.text, /ops-only/);
  t.notRegex(onlyOps.text, /lab-only/);
  t.is((await root.http.get('/admin/audit?network=99999')).status, 400);

  const member = await app.member();
  t.is((await member.http.get('/admin/audit')).status, 403);
  t.is((await member.http.get('/admin/audit.csv')).status, 403);
  const guest = await app.guest();
  t.is((await guest.agent.http.get('/admin/audit.csv')).status, 302);
});

eachAdminApp('the page reads older entries by keyset; the housekeeping purges what is past the retention', async (t, app) => {
  const rt = app.app.ruche;
  const now = Date.now();
  for (let i = 0; i < 60; i++)
    await rt.audit.record({
      action: 'core.requests.approve',
      networkId: app.rootId,
      actorId: 1,
      objectType: 'user',
      objectId: i,
      at: now - i * 1000,
    });
  const admin = await app.admin();
  const first = await admin.http.get('/admin/audit');
  t.is(rows(first.text).length, 50);
  t.is(rows(first.text)[0], 'core.requests.approve|user #59|');
  const next = /href="([^"]+)" rel="next"/.exec(first.text)![1];
  const second = await admin.http.get(decode(next));
  t.is(rows(second.text).length, 10);
  t.is(rows(second.text)[9], 'core.requests.approve|user #0|');
  t.notRegex(second.text, /rel="next"/);

  await rt.audit.record({ action: 'core.requests.decline', networkId: app.rootId, actorId: 1, at: now - 366 * DAY });
  await rt.audit.record({ action: 'core.requests.decline', networkId: app.rootId, actorId: 1, at: now - 364 * DAY });
  const trimmed = await housekeeping(rt, now);
  t.is(trimmed.audit, 1, 'the default retention is 365 days');
  t.is(Number((await rt.db('audit_log').count<{ n: number }[]>('* as n').first())?.n), 61);
});
