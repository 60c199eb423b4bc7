/**
 * Bans in the members console (plugins/admin/members/bans-routes.ts): the network's banned
 * members listed with the reason, when and by whom; "Lift ban" lets them join again, audited,
 * a second submit answered as the first; an admin of network B sees and lifts nothing of A's;
 * a moderator and a member are refused. A member's data export names the networks that banned
 * them (core/members/export.ts). Both databases.
 */
import { buildArchive } from '../../../core/members/export';
import { addMemberships, createMember, signedIn } from '../../helpers/members';
import { unzipStream } from '../../helpers/zip';
import { addSubnetwork, decode, eachAdminApp, postForm } from './support';

/** The banned rows of the page, as `username|reason`, in order. */
const bannedRows = (html: string): string[] =>
  [...decode(html).matchAll(/<tr id="banned-\d+">[\s\S]*?@([^<]+)<\/span>[\s\S]*?<td[^>]*>([^<]*)<\/td>/g)].map((m) => `${m[1]}|${m[2]}`);

eachAdminApp('admins list their network’s bans and lift one from the web; audited; others refused', async (t, app) => {
  const rt = app.app.ruche;
  const b = await addSubnetwork(app, 'b', 'Network B');
  const mona = await createMember(rt, 'mona', { role: 'moderator', displayName: 'Mona' });
  const zed = await createMember(rt, 'zed', { displayName: 'Zed' });
  const yan = await createMember(rt, 'yan', { displayName: 'Yan' });
  const carol = await createMember(rt, 'carol');
  await addMemberships(rt, b, [carol], 'admin');
  await addMemberships(rt, b, [yan]);
  t.like(await rt.bans.ban(app.rootId, zed, 'Spam in every group', mona), { role: 'member' });
  t.like(await rt.bans.ban(app.rootId, yan, 'Harassment', mona, undefined, Date.now() + 1), { role: 'member' });
  t.like(await rt.bans.ban(b, yan, 'Spam in B', carol), { role: 'member' });

  const admin = await app.admin();
  const members = await admin.http.get('/admin/members');
  t.regex(members.text, /href="\/admin\/members\/banned"/, 'the console links the bans');
  const page = await admin.http.get('/admin/members/banned');
  t.is(page.status, 200);
  t.deepEqual(bannedRows(page.text), ['yan|Harassment', 'zed|Spam in every group'], 'newest first, this network’s only');
  t.regex(page.text, /by Mona/);

  const from = '/admin/members/banned';
  const [first, second] = await Promise.all([
    postForm(admin, `/admin/members/banned/${zed}/lift`, {}, from),
    postForm(admin, `/admin/members/banned/${zed}/lift`, {}, from),
  ]);
  t.deepEqual([first.status, second.status], [303, 303], 'a double submit answers as the first');
  t.is(first.headers.location, '/admin/members/banned');
  t.false(await rt.bans.isBanned(zed, app.rootId));
  t.true(await rt.users.setRole(zed, app.rootId, 'member'), 'they may join again');
  const audit = (await rt.db('audit_log').where({ action: 'core.user.unban' }).select('object_id', 'network_id', 'before', 'after')) as {
    object_id: string;
    network_id: number;
    before: string;
    after: string;
  }[];
  t.is(audit.length, 1, 'one audit entry');
  t.is(audit[0].object_id, String(zed));
  t.is(Number(audit[0].network_id), app.rootId);
  t.like(JSON.parse(audit[0].before), { banned: true, reason: 'Spam in every group' });
  t.deepEqual(JSON.parse(audit[0].after), { banned: false });
  const after = await admin.http.get('/admin/members/banned');
  t.regex(decode(after.text), /The ban of Zed is lifted: they may join this network again\./);
  t.deepEqual(bannedRows(after.text), ['yan|Harassment']);
  t.is((await postForm(admin, `/admin/members/banned/${carol}/lift`, {}, from)).status, 404, 'never banned here');

  // Network B's admin: B's bans only; A's are not found from B.
  const carolAgent = await signedIn(app, 'carol');
  const inB = await carolAgent.http.get('/n/b/admin/members/banned');
  t.deepEqual(bannedRows(inB.text), ['yan|Spam in B']);
  t.is((await carolAgent.http.get('/admin/members/banned')).status, 403, 'the root network’s console is not hers');
  t.is((await postForm(carolAgent, `/n/b/admin/members/banned/${zed}/lift`, {}, '/n/b/admin/members')).status, 404, 'a ban of another network');
  t.true(await rt.bans.isBanned(yan, app.rootId), 'the root ban stands');
  t.is((await postForm(carolAgent, `/n/b/admin/members/banned/${yan}/lift`, {}, '/n/b/admin/members')).status, 303);
  t.false(await rt.bans.isBanned(yan, b));
  t.true(await rt.bans.isBanned(yan, app.rootId), 'lifting in B leaves the root’s ban');

  // A moderator bans from the queue but does not lift from the console; a member neither.
  const monaAgent = await signedIn(app, 'mona');
  t.is((await monaAgent.http.get('/admin/members/banned')).status, 403);
  t.is((await postForm(monaAgent, `/admin/members/banned/${yan}/lift`, {}, '/')).status, 403);
  t.is((await postForm(await app.member(), `/admin/members/banned/${yan}/lift`, {}, '/')).status, 403);
  t.true(await rt.bans.isBanned(yan, app.rootId));

  // The member's data export names the networks that banned them, not who did.
  const archive = await unzipStream(await buildArchive(rt, yan));
  const bans = JSON.parse(archive.get('core/network-bans.json')!.toString()) as Record<string, unknown>[];
  t.deepEqual(
    bans.map((r) => [r.network, r.reason]),
    [['root', 'Harassment']],
  );
  t.false(JSON.stringify(bans).includes('Mona'), 'not who banned them');
});
