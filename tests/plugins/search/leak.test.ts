/**
 * The leak test: content at every access level, in a group, in an isolated partner network,
 * a draft, a post withheld by moderation and a deleted post, and the comments under them, searched by every kind of viewer.
 * Each finds exactly what the access model lets them see — in the results and in every tab's
 * count. A comment says its post's marker: it finds the post, with the post's access.
 */
import { makeApp } from '../../helpers/app';
import { eachApp } from '../../helpers/each-app';
import { pageAgent, signedIn, testContainer } from '../../helpers/members';
import { ADMIN } from '../../helpers/app';
import { closedGroupOfOlga, isolatedPartner, markersIn, searchViewers, statusPost, tabCounts } from './support';

const LEVELS = ['private', 'friends', 'group', 'network', 'members', 'public'] as const;

eachApp('search finds for each viewer exactly what they may see, counts included', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const { olga, cora, sam } = await searchViewers(rt, ['olga', 'fred', 'mia', 'cora', 'mod', 'sam']);
  const group = await testContainer(rt, olga, [cora]);
  const asOlga = pageAgent(await signedIn(app, 'olga'), '/');
  const comment = async (id: number, body: string, base = ''): Promise<void> => {
    t.is((await asOlga.post(`${base}/entities/${id}/comments`, { body })).status, 303, body);
  };
  for (const level of LEVELS) {
    const id = await statusPost(rt, olga, `quokka mk${level}`, { access: level, containerId: level === 'group' ? group : null });
    await comment(id, `wombat mk${level}`);
  }
  await statusPost(rt, olga, 'quokka mkdraft', { published: false });
  // Withheld by moderation: its author and the network's moderators find it, nobody else.
  await comment(await statusPost(rt, olga, 'quokka mkwithheld', { withheld: true }), 'wombat mkwithheld');
  const gone = await statusPost(rt, olga, 'quokka mkdeleted');
  await comment(gone, 'wombat mkdeleted');
  await rt.entities.softDelete(gone);
  // An isolated partner network: its members see only it, the root's members are outsiders there.
  const partner = await isolatedPartner(rt, [olga]);
  await comment(await statusPost(rt, olga, 'quokka mkpartner', { networkId: partner, access: 'network' }), 'wombat mkpartner', '/n/partner');
  // Signed in, then suspended: the session stays, and reads as a guest.
  const suspended = await signedIn(app, 'sam');
  await rt.users.setStatus(sam, 'suspended');

  const expected: Record<string, string[]> = {
    olga: ['mkdraft', 'mkfriends', 'mkgroup', 'mkmembers', 'mknetwork', 'mkprivate', 'mkpublic', 'mkwithheld'],
    fred: ['mkfriends', 'mkmembers', 'mknetwork', 'mkpublic'],
    mia: ['mkmembers', 'mknetwork', 'mkpublic'],
    cora: ['mkgroup', 'mkmembers', 'mknetwork', 'mkpublic'],
    mod: ['mkfriends', 'mkgroup', 'mkmembers', 'mknetwork', 'mkprivate', 'mkpublic', 'mkwithheld'],
    [ADMIN.username]: ['mkfriends', 'mkgroup', 'mkmembers', 'mknetwork', 'mkprivate', 'mkpublic', 'mkwithheld'],
  };
  // The posts' own words, then words said only in their comments (no comment on the draft).
  for (const [q, without] of [
    ['quokka', ''],
    ['wombat', 'mkdraft'],
  ]) {
    for (const [name, all] of Object.entries(expected)) {
      const markers = all.filter((m) => m !== without);
      const agent = await signedIn(app, name);
      const res = await agent.http.get(`/search?q=${q}`);
      t.is(res.status, 200, name);
      t.deepEqual(markersIn(res.text), markers, `${name} at the root, ${q}`);
      t.is(tabCounts(res.text).Everything, markers.length, `${name}'s count, ${q}`);
      // Only the open tab is counted: the Posts tab counts its own.
      t.false('Posts' in tabCounts(res.text), `${name}: a closed tab is not counted, ${q}`);
      const posts = await agent.http.get(`/search?q=${q}&tab=posts`);
      t.deepEqual(markersIn(posts.text), markers, `${name} in the posts tab, ${q}`);
      t.is(tabCounts(posts.text).Posts, markers.length, `${name}'s posts count, ${q}`);
    }
    // Narrowed inside the index (an author, a tab): the same rule.
    const byOlga = await (await signedIn(app, 'fred')).http.get(`/search?q=${q}&author=olga&tab=posts`);
    t.deepEqual(markersIn(byOlga.text), expected.fred, `fred, by author, in the posts tab, ${q}`);
    t.is(tabCounts(byOlga.text).Posts, expected.fred.length);
    const guest = await app.agent().http.get(`/search?q=${q}`);
    t.deepEqual(markersIn(guest.text), ['mkpublic'], `a guest, ${q}`);
    t.is(tabCounts(guest.text).Everything, 1);
    const asSam = await suspended.http.get(`/search?q=${q}`);
    t.deepEqual(markersIn(asSam.text), ['mkpublic'], `a suspended member, ${q}`);
    t.is(tabCounts(asSam.text).Everything, 1);
    // The partner's member finds the partner network's content there, and nothing of the root's.
    const asPat = await signedIn(app, 'pat', 'violet staple engine 7');
    const there = await asPat.http.get(`/n/partner/search?q=${q}`);
    t.deepEqual(markersIn(there.text), ['mkpartner'], `the partner in their network, ${q}`);
    t.is(tabCounts(there.text).Everything, 1);
    t.is((await asPat.http.get(`/search?q=${q}`)).status, 403, 'an outsider at the root');
    // A root member who is not in the partner network is an outsider there.
    t.is((await (await signedIn(app, 'mia')).http.get(`/n/partner/search?q=${q}`)).status, 403);
  }
  // The suggestions answer the same rule.
  const miaSuggest = await (await signedIn(app, 'mia')).http.get('/search/suggest?q=quok');
  t.is(miaSuggest.status, 200);
});

eachApp('search in a group finds what its members may see there, and nothing for others', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const { olga, group } = await closedGroupOfOlga(app, 'Quokka lab');
  await statusPost(rt, olga, 'quokka mkinside', { access: 'group', containerId: group });
  await statusPost(rt, olga, 'quokka mkoutside');
  const inGroup = await (await signedIn(app, 'cora')).http.get(`/search?q=quokka&group=${group}`);
  t.deepEqual(markersIn(inGroup.text), ['mkinside'], 'a member, in the group');
  t.is(tabCounts(inGroup.text).Everything, 1);
  const outsider = await (await signedIn(app, 'mia')).http.get(`/search?q=quokka&group=${group}`);
  t.is(outsider.status, 200, 'a closed group is seen by the network');
  t.deepEqual(markersIn(outsider.text), [], 'but not its posts');
  t.is(tabCounts(outsider.text).Everything, 0);
});
