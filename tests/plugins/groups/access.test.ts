// Every surface against open, closed and secret groups and every kind of viewer: the
// directory, its search, my groups, the group page and its feed, the member list, the
// network feed, the home feed, the status page of a group post, and the cover file.
import { unmasked } from '../../helpers/app';
import { eachApp } from '../../helpers/each-app';
import { groupApp, type GroupApp } from './support';

const VIS = ['open', 'closed', 'secret'] as const;
type Vis = (typeof VIS)[number];
const WHO = ['outsider', 'asker', 'invitee', 'member', 'gadmin', 'mod', 'admin', 'guest'] as const;
type Who = (typeof WHO)[number];

/** Who knows the group exists (directory, search, its page). */
const KNOWS: Record<Vis, Who[]> = {
  open: ['outsider', 'asker', 'invitee', 'member', 'gadmin', 'mod', 'admin'],
  closed: ['outsider', 'asker', 'invitee', 'member', 'gadmin', 'mod', 'admin'],
  secret: ['member', 'gadmin', 'mod', 'admin'],
};
/** Who reads what is posted in it. */
const READS: Record<Vis, Who[]> = {
  open: ['outsider', 'asker', 'invitee', 'member', 'gadmin', 'mod', 'admin'],
  closed: ['member', 'gadmin', 'mod', 'admin'],
  secret: ['member', 'gadmin', 'mod', 'admin'],
};

async function arrange(app: GroupApp) {
  for (const who of ['outsider', 'asker', 'invitee', 'member', 'gadmin']) await app.member(who);
  await app.member('mod', { role: 'moderator' });
  const groups = {} as Record<Vis, { id: number; post: number }>;
  for (const vis of VIS) {
    const id = await app.group('gadmin', { name: `Garden ${vis}`, visibility: vis, description: `About the ${vis} garden` });
    await app.join(id, 'member');
    const admin = await app.as('gadmin');
    if (vis === 'closed') await (await app.as('asker')).post(`/groups/${id}/join`);
    const invited = await admin.post(`/groups/${id}/invite`, { username: 'invitee' });
    if (invited.status !== 303) throw new Error(`invite failed: ${invited.status}`);
    const post = await app.status('member', `content-${vis} inside`, id, vis === 'open' ? 'network' : 'group');
    groups[vis] = { id, post };
  }
  return groups;
}

eachApp(
  'directory, search, my groups, group page, members, feeds and status pages show each group to exactly its viewers',
  groupApp,
  async (t, app) => {
    const groups = await arrange(app);
    for (const who of WHO) {
      const agent = who === 'guest' ? app.guest() : (await app.as(who)).agent;
      const directory = await agent.http.get('/groups');
      const network = await agent.http.get('/activity');
      const home = await agent.http.get('/feed');
      const mine = await agent.http.get('/groups/mine');
      if (who === 'guest') {
        t.is(directory.status, 302, 'guests are asked to sign in for the directory');
        t.regex(directory.headers.location, /\/login\?next=%2Fgroups$/);
      }
      for (const vis of VIS) {
        const { id, post } = groups[vis];
        const knows = KNOWS[vis].includes(who as Who);
        const reads = READS[vis].includes(who as Who);
        const label = `${who} / ${vis}`;
        t.is(directory.text.includes(`Garden ${vis}`), knows, `${label}: directory`);
        const search = await agent.http.get(`/groups?q=${encodeURIComponent(`garden ${vis}`)}`);
        t.is(search.text.includes(`Garden ${vis}`), knows, `${label}: search`);
        const page = await agent.http.get(`/groups/${id}`);
        t.is(page.status, knows ? 200 : who === 'guest' ? 302 : 404, `${label}: group page`);
        t.is(page.text.includes(`content-${vis}`), reads, `${label}: group feed`);
        if (knows) t.regex(page.text, new RegExp(`About the ${vis} garden`), `${label}: the description is shown`);
        const members = await agent.http.get(`/groups/${id}/members`);
        t.is(members.status, knows ? 200 : who === 'guest' ? 302 : 404, `${label}: member list`);
        t.is(members.text.includes('@member'), reads, `${label}: member names`);
        t.is(network.text.includes(`content-${vis}`), reads, `${label}: network feed`);
        t.is(home.text.includes(`content-${vis}`), who === 'member' || who === 'gadmin', `${label}: home feed`);
        const status = await agent.http.get(`/status/${post}`);
        t.is(status.status, reads ? 200 : who === 'guest' ? 302 : 404, `${label}: status page`);
        const inMine = who === 'member' || who === 'gadmin' || who === 'invitee' || (who === 'asker' && vis === 'closed');
        t.is(mine.text.includes(`Garden ${vis}`), inMine, `${label}: my groups`);
      }
    }
  },
);

eachApp('a secret group answers exactly like a group that does not exist', groupApp, async (t, app) => {
  const groups = await arrange(app);
  const secret = groups.secret.id;
  const missing = secret + 1000;
  // Only the CSRF token's per-response mask differs between any two pages.
  const outsider = await app.as('outsider');
  for (const suffix of ['', '/members', '/edit', '/cover/0123456789abcdef0123-480.jpg']) {
    const a = await outsider.get(`/groups/${secret}${suffix}`);
    const b = await outsider.get(`/groups/${missing}${suffix}`);
    t.is(a.status, 404, `secret${suffix}`);
    t.is(unmasked(a.text), unmasked(b.text.replaceAll(String(missing), String(secret))), `byte-identical 404 for ${suffix || 'the page'}`);
    const ga = await app.guest().http.get(`/groups/${secret}${suffix}`);
    const gb = await app.guest().http.get(`/groups/${missing}${suffix}`);
    t.is(ga.status, 302);
    t.is(ga.headers.location, gb.headers.location.replace(String(missing), String(secret)), 'the same sign-in redirect for guests');
  }
  for (const action of ['join', 'leave', 'cancel', 'invite', 'archive', 'delete', `members/${app.ids.member}/remove`]) {
    const a = await outsider.post(`/groups/${secret}/${action}`);
    const b = await outsider.post(`/groups/${missing}/${action}`);
    t.is(a.status, 404, `POST ${action}`);
    t.is(unmasked(a.text), unmasked(b.text.replaceAll(String(missing), String(secret))), `POST ${action}: byte-identical`);
  }
  // Closed groups are known: their page says so and offers to ask to join.
  const closed = await outsider.get(`/groups/${groups.closed.id}`);
  t.regex(closed.text, /only its members see what is posted/);
  t.regex(closed.text, /Ask to join/);
  t.regex((await outsider.get(`/groups/${groups.closed.id}/members`)).text, /Only the members of this closed group/);
});

eachApp('groupFor tells each viewer what the group is to them, and null when it does not exist for them', groupApp, async (t, app) => {
  const groups = await arrange(app);
  const { groupFor } = await import('../../../plugins/groups/api');
  const viewer = async (name: string) => (await app.rt.users.viewer(app.ids[name])) ?? null;
  t.is(await groupFor(app.rt, groups.secret.id, await viewer('outsider')), null);
  t.is(await groupFor(app.rt, groups.secret.id, null), null);
  t.is(await groupFor(app.rt, groups.open.post, await viewer('member')), null, 'a status post is not a group');
  const open = await groupFor(app.rt, groups.open.id, await viewer('outsider'));
  t.like(open, { visibility: 'open', role: null, canPost: false, canManage: false, contentAccess: 'network', href: `/groups/${groups.open.id}` });
  t.deepEqual(open?.allowedAccess, ['network', 'group']);
  t.like(await groupFor(app.rt, groups.secret.id, await viewer('member')), {
    role: 'member',
    canPost: true,
    canManage: false,
    contentAccess: 'group',
  });
  t.like(await groupFor(app.rt, groups.closed.id, await viewer('gadmin')), { role: 'admin', canManage: true });
  t.like(await groupFor(app.rt, groups.secret.id, await viewer('mod')), { role: null, canManage: true, canPost: true });
});
