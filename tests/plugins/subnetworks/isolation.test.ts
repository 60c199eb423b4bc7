// Isolation between sub-networks on every surface (pages, directory, feeds, API, mentions
// autocomplete, the all-networks feed), and the network switcher.
import { eachApp } from '../../helpers/each-app';
import { subApp, type SubApp } from './support';

async function world(app: SubApp) {
  const root = app.rt.networks.root();
  const lyon = await app.network('lyon', { name: 'Usine Lyon' });
  const partner = await app.network('partner', { name: 'Partner Co' });
  const alice = await app.member('alice', 'Alice Lyon');
  const bob = await app.member('bob', 'Bob Root');
  const pat = await app.member('pat', 'Pat Partner');
  const paula = await app.member('paula', 'Paula Partner');
  await app.join(alice, lyon.id);
  for (const id of [pat, paula]) {
    await app.join(id, partner.id);
    await app.onlyIn(id); // a partner company: members of the partner network only
  }
  const posts = {
    rootMembers: await app.quickPost(bob, 'ROOT-MEMBERS post', 'members'),
    rootNetwork: await app.quickPost(bob, 'ROOT-NETWORK post', 'network'),
    lyonNetwork: await app.quickPost(alice, 'LYON-NETWORK post', 'network', { networkId: lyon.id }),
    lyonMembers: await app.quickPost(alice, 'LYON-MEMBERS post', 'members', { networkId: lyon.id }),
    partnerNetwork: await app.quickPost(pat, 'PARTNER-NETWORK post', 'network', { networkId: partner.id }),
  };
  return { root, lyon, partner, alice, bob, pat, paula, posts };
}

const ALL = /ROOT-MEMBERS|ROOT-NETWORK|LYON-NETWORK|LYON-MEMBERS|PARTNER-NETWORK/g;
const found = (text: string): string[] => [...new Set(text.match(ALL) ?? [])].sort();

eachApp('a partner member sees their sub-network and nothing of the rest, on every surface', subApp, async (t, app) => {
  const w = await world(app);
  const pat = await app.as('pat');
  const get = (path: string) => pat.agent.http.get(path);

  // Pages and feeds of their network: only its content.
  let res = await get('/n/partner/activity');
  t.is(res.status, 200);
  t.deepEqual(found(res.text), ['PARTNER-NETWORK']);
  res = await get('/n/partner/feed');
  t.deepEqual(found(res.text), ['PARTNER-NETWORK']);
  res = await get('/n/partner/');
  t.deepEqual(found(res.text), ['PARTNER-NETWORK']);
  // API
  res = await get('/n/partner/api/v1/activity').set('accept', 'application/json');
  t.is(res.status, 200);
  t.deepEqual(found(res.text), ['PARTNER-NETWORK']);
  // Directory: their network's members only.
  res = await get('/n/partner/people');
  t.is(res.status, 200);
  t.regex(res.text, /@paula/);
  t.notRegex(res.text, /@alice|@bob|@admin/);
  // Mentions autocomplete: members of the network only.
  res = await get('/n/partner/api/v1/mentions?q=pa').set('accept', 'application/json');
  t.is(res.status, 200);
  t.regex(res.text, /paula/);
  for (const q of ['al', 'bo', 'ad']) {
    res = await get(`/n/partner/api/v1/mentions?q=${q}`).set('accept', 'application/json');
    t.is(res.text, '{"members":[]}', `no one outside the network for "${q}"`);
  }
  // Content of other networks, by URL inside their network: not found.
  for (const id of [w.posts.rootMembers, w.posts.rootNetwork, w.posts.lyonNetwork, w.posts.lyonMembers]) {
    res = await get(`/n/partner/status/${id}`);
    t.is(res.status, 404, `status ${id} through /n/partner`);
  }
  // Another sub-network's content and directory.
  res = await get(`/n/lyon/status/${w.posts.lyonNetwork}`);
  t.true([403, 404].includes(res.status), `lyon's network post answers ${res.status}`);
  res = await get('/n/lyon/people');
  t.notRegex(res.text, /@alice/);
  // A mention of an outsider in the partner network resolves to no one.
  await pat.post('/n/partner/status', { body: 'hello @alice and @paula', access: 'network' });
  const mentioned = await app.rt.db('content_mentions').join('users', 'users.id', 'content_mentions.user_id').select('users.username');
  t.deepEqual(
    mentioned.map((m) => m.username),
    ['paula'],
  );
  // Notifications: only the partner member mentioned is notified, in the partner network.
  const notified = await app.rt.db('notifications').where({ kind: 'activity.mentioned' }).select('user_id', 'network_id');
  t.deepEqual(
    notified.map((n) => [Number(n.user_id), Number(n.network_id)]),
    [[w.paula, w.partner.id]],
  );
  // No switcher: one network only.
  res = await get('/n/partner/');
  t.notRegex(res.text, /Go to |All my networks/);
});

eachApp('network access level: members of the sub-network only; the root network sees none of it', subApp, async (t, app) => {
  const w = await world(app);
  const bob = await app.as('bob');
  let res = await bob.agent.http.get('/activity');
  t.deepEqual(found(res.text), ['ROOT-MEMBERS', 'ROOT-NETWORK']);
  res = await bob.agent.http.get(`/n/lyon/status/${w.posts.lyonNetwork}`);
  t.true([403, 404].includes(res.status), `a non-member reading lyon's network post gets ${res.status}`);
  res = await bob.agent.http.get('/api/v1/activity').set('accept', 'application/json');
  t.deepEqual(found(res.text), ['ROOT-MEMBERS', 'ROOT-NETWORK']);
  const alice = await app.as('alice');
  res = await alice.agent.http.get(`/n/lyon/status/${w.posts.lyonNetwork}`);
  t.is(res.status, 200);
  t.regex(res.text, /LYON-NETWORK/);
});

eachApp('members of several networks switch from the account menu and read all their networks in one feed', subApp, async (t, app) => {
  const w = await world(app);
  const alice = await app.as('alice');
  let res = await alice.agent.http.get('/');
  t.regex(res.text, /<a class="account-menu__item" href="\/feeds\/all">All my networks<\/a>/);
  t.regex(res.text, /<a class="account-menu__item" href="\/n\/lyon\/">Go to Usine Lyon<\/a>/);
  t.notRegex(res.text, /Go to Partner Co/, 'only my networks');
  res = await alice.agent.http.get('/n/lyon/');
  t.regex(res.text, /<a class="account-menu__item" href="\/">Go to Test network<\/a>/);
  t.regex(res.text, /href="\/n\/lyon\/feeds\/all"/);

  res = await alice.agent.http.get('/feeds/all');
  t.is(res.status, 200);
  t.deepEqual(found(res.text), ['LYON-MEMBERS', 'LYON-NETWORK', 'ROOT-MEMBERS', 'ROOT-NETWORK']);
  t.regex(res.text, /In Usine Lyon/);
  t.regex(res.text, new RegExp(`href="/n/lyon/status/${w.posts.lyonNetwork}"`), 'entries link into their own network');
  t.regex(res.text, /class="subnetworks-filter" href="\/n\/lyon\/feed">Usine Lyon</);
  res = await alice.agent.http.get('/networks');
  t.regex(res.text, /href="\/n\/lyon\/">Usine Lyon</);
  t.regex(res.text, /href="\/" aria-current="page">Test network</);
  // French
  res = await alice.agent.http.get('/feeds/all').set('accept-language', 'fr');
  t.regex(res.text, /Tous mes réseaux|All my networks/);
  // Guests are sent to sign in.
  t.is((await app.agent().http.get('/feeds/all')).status, 302);
  // A partner member's all-networks feed holds only their network.
  const pat = await app.as('pat');
  res = await pat.agent.http.get('/n/partner/feeds/all');
  t.is(res.status, 200);
  t.deepEqual(found(res.text), ['PARTNER-NETWORK']);
});
