// The queue's history (issue 22): the decisions of a network, newest first, with who decided what
// and when, the reasons and the content in context where it still exists; filtered by decision and
// kind; keyset paged; one row per decision even on a double submit; seen by the network's reviewers,
// by a group's admins for their group only, by nobody else (answered as the queue answers).
import { addMemberships, addSubNetwork } from '../../helpers/members';
import { eachModApp } from './support';

/** The decisions a history page lists, in order, as `<decision> <target>`. */
const listed = (html: string): string[] => [...html.matchAll(/data-target="([^"]+)" data-decision="([^"]+)"/g)].map((m) => `${m[2]} ${m[1]}`);

eachModApp('the history lists decisions newest first: who decided, when, the reasons, the content in context; filters', async (t, app) => {
  const [alice] = await app.members('alice', 'bob', 'carol');
  const mod = await app.member('mona', 'Mona');
  await app.setRole(mod, 'moderator');
  const rude = await app.post('alice', 'A rude post about neighbours');
  const spam = await app.post('alice', 'Spam spam spam');
  const fine = await app.post('alice', 'A fine post');
  await app.report('bob', rude, 'spam', 'Rude');
  await app.report('carol', rude, 'offCharter');
  await app.report('bob', spam, 'spam');
  await app.report('bob', fine, 'spam');
  t.is((await (await app.as('bob')).post('/moderation/report/member/alice', { reason: 'harassment', note: '' })).status, 303);

  const twice = await Promise.all([app.decide('mona', `entity-${rude}`, 'hide'), app.decide('mona', `entity-${rude}`, 'hide')]);
  t.deepEqual(
    twice.map((r) => r.status),
    [303, 303],
  );
  t.is(
    (await app.db('moderation_decisions').where({ target_type: 'entity', target_id: rude }).select('id')).length,
    1,
    'one decision on a double submit',
  );
  t.is((await app.decide('mona', `entity-${spam}`, 'delete')).status, 303);
  t.is((await app.decide('mona', `entity-${fine}`, 'dismiss')).status, 303);
  t.is((await app.decide('mona', 'member-alice', 'warn', { message: 'Stay courteous.' })).status, 303);

  const m = await app.as('mona');
  t.regex((await m.agent.http.get('/moderation')).text, /href="\/moderation\/history">History of decisions</, 'the queue links its history');
  const page = await m.agent.http.get('/moderation/history');
  t.is(page.status, 200);
  t.deepEqual(listed(page.text), [`warn member-${alice}`, `dismiss entity-${fine}`, `delete entity-${spam}`, `hide entity-${rude}`], 'newest first');
  const item = (key: string) => {
    const from = page.text.indexOf(`data-target="${key}"`);
    return page.text.slice(from, page.text.indexOf('</li>', from));
  };
  const hidden = item(`entity-${rude}`);
  t.regex(hidden, /Decided by <a href="\/people\/mona">Mona<\/a>/);
  t.regex(hidden, /2 reports/);
  t.regex(hidden, /Spam × 1/);
  t.regex(hidden, /Against the usage charter × 1/);
  t.regex(hidden, /A rude post about neighbours/, 'the content in context');
  t.regex(hidden, /Hidden now/);
  const deleted = item(`entity-${spam}`);
  t.notRegex(deleted, /Spam spam spam/, 'deleted content is not quoted again');
  t.regex(deleted, /The content by Alice no longer exists\./);
  t.regex(item(`member-${alice}`), /Reported member: <a href="\/people\/alice">Alice<\/a>/);
  t.regex(item(`member-${alice}`), /Harassment × 1/);

  const only = async (query: string) => listed((await m.agent.http.get(`/moderation/history?${query}`)).text);
  t.deepEqual(await only('decision=hide'), [`hide entity-${rude}`]);
  t.deepEqual(await only('kind=member'), [`warn member-${alice}`]);
  t.deepEqual(await only('kind=status&decision=dismiss'), [`dismiss entity-${fine}`]);
  const none = await m.agent.http.get('/moderation/history?decision=ban');
  t.regex(none.text, /No decision matches these filters\./);
  const bad = await m.agent.http.get('/moderation/history?decision=bogus');
  t.is(bad.status, 400, 'an unknown decision is a 400, not a 500');
  const fr = await m.agent.http.get('/moderation/history').set('Accept-Language', 'fr');
  t.regex(fr.text, /Historique de la modération/);
});

eachModApp('the history is keyset paged: no row repeated or skipped across pages, even with equal times', async (t, app) => {
  const [alice] = await app.members('alice');
  const mod = await app.member('mona', 'Mona');
  await app.setRole(mod, 'moderator');
  const at = Date.now();
  const rows = Array.from({ length: 45 }, (_, i) => ({
    network_id: app.root,
    container_id: null,
    target_type: 'member',
    target_id: alice,
    target_user_id: alice,
    kind: 'member',
    decision: 'dismiss',
    reasons: JSON.stringify([{ reason: 'spam', count: 1 }]),
    reports: 1,
    decided_by: mod,
    // Three decisions share each time: the id breaks the ties.
    decided_at: at - Math.floor(i / 3),
  }));
  await app.db('moderation_decisions').insert(rows);
  const expected = ((await app.db('moderation_decisions').orderBy('decided_at', 'desc').orderBy('id', 'desc').select('id')) as { id: number }[]).map(
    (r) => Number(r.id),
  );
  const m = await app.as('mona');
  const ids = (html: string) => [...html.matchAll(/id="decision-(\d+)"/g)].map((x) => Number(x[1]));
  const seen: number[] = [];
  let href: string | null = '/moderation/history';
  const pages: string[] = [];
  while (href && pages.length < 5) {
    const res = await m.agent.http.get(href.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));
    t.is(res.status, 200);
    pages.push(href);
    seen.push(...ids(res.text));
    href = /href="([^"]+)" rel="next"/.exec(res.text)?.[1] ?? null;
  }
  t.deepEqual(seen, expected, 'every decision once, newest first');
  t.is(pages.length, 3);
  const second = await m.agent.http.get(pages[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));
  const prev = /href="([^"]+)" rel="prev"/.exec(second.text)?.[1] ?? '';
  t.deepEqual(
    ids((await m.agent.http.get(prev.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'))).text),
    expected.slice(0, 20),
    '"Newer" goes back to the first page',
  );
  t.is((await m.agent.http.get('/moderation/history?after=bogus')).status, 400, 'a cursor the list did not write');
});

eachModApp('who sees the history: reviewers of the network, group admins their group only; nobody else, as the queue answers', async (t, app) => {
  const [alice, bob, dan, sam, pia, vic] = await app.members('alice', 'bob', 'dan', 'sam', 'pia', 'vic');
  const mod = await app.member('mona', 'Mona');
  await app.setRole(mod, 'moderator');
  await app.setRole(vic, 'moderator');
  const group = await app.container(dan, [alice, bob]);
  const inGroup = await app.quickPost(alice, 'Group gossip', 'group', { containerId: group });
  const outside = await app.quickPost(alice, 'Network post', 'members');
  await app.report('bob', inGroup, 'confidential');
  await app.report('bob', outside, 'spam');
  t.is((await app.decide('dan', `entity-${inGroup}`, 'hide', { group: String(group) })).status, 303);
  t.is((await app.decide('mona', `entity-${outside}`, 'dismiss')).status, 303);

  const history = async (username: string | null, path = '/moderation/history') => {
    const agent = username ? (await app.as(username)).agent : app.agent();
    return agent.http.get(path);
  };
  const moderator = await history('mona');
  t.regex(moderator.text, /Group gossip/);
  t.regex(moderator.text, /Network post/);
  for (const path of ['/moderation/history', `/moderation/history?group=${group}`]) {
    const admin = await history('dan', path);
    t.is(admin.status, 200, path);
    t.regex(admin.text, /Group gossip/);
    t.regex(admin.text, /Decided by <a href="\/people\/dan">Dan<\/a>/);
    t.notRegex(admin.text, /Network post/, 'a group admin sees their group only');
  }
  t.regex((await history('dan', `/moderation/history?group=${group}&decision=hide`)).text, /name="group" value="\d+"/, 'the filters keep the group');

  // Sam administers a sub-network, Pia belongs to it alone: nothing of the root's history.
  const sub = await addSubNetwork(app.rt, 'partner');
  await addMemberships(app.rt, sub, [sam], 'admin');
  await addMemberships(app.rt, sub, [pia]);
  await app.db('memberships').where({ user_id: pia, network_id: app.root }).delete();
  const subHistory = await history('sam', '/n/partner/moderation/history');
  t.is(subHistory.status, 200);
  t.notRegex(subHistory.text, /Network post|Group gossip/);
  t.regex(subHistory.text, /No decision yet/);

  // Vic, a moderator, is suspended once signed in.
  const vicAgent = (await app.as('vic')).agent;
  await app.db('users').where({ id: vic }).update({ status: 'suspended' });
  const bobAgent = (await app.as('bob')).agent;
  const piaAgent = (await app.as('pia')).agent;
  const samAgent = (await app.as('sam')).agent;
  const cases: [string, (path: string) => Promise<import('supertest').Response>][] = [
    ['a guest', (path) => app.agent().http.get(path)],
    ['a member', (path) => bobAgent.http.get(path)],
    ['a member naming a group they do not run', (path) => bobAgent.http.get(`${path}?group=${group}`)],
    ['a partner-network member', (path) => piaAgent.http.get(path)],
    ['the admin of another network', (path) => samAgent.http.get(path)],
    ['a suspended moderator', (path) => vicAgent.http.get(path)],
  ];
  for (const [who, get] of cases) {
    const res = await get('/moderation/history');
    t.true(res.status >= 300 && res.status < 500, `${who}: ${res.status}`);
    t.notRegex(res.text, /Network post|Group gossip/, who);
    t.is(res.status, (await get('/moderation')).status, `${who}: as the queue answers`);
  }
});
