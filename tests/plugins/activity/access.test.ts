// Every surface of the activity plugin against every access level and viewer: the
// network feed, the tag page, the profile feed, the status page, the JSON API and the
// Atom feeds (public content only, read as a guest).
import { ADMIN } from '../../helpers/app';
import { ACCESS_LEVELS, SEES, VIEWERS, type Viewer } from '../../helpers/who-sees';
import { type ActApp, eachActApp } from './support';

async function arrange(app: ActApp) {
  const owner = await app.member('owner', 'Olive Owner');
  const friend = await app.member('friend');
  await app.member('member');
  const groupie = await app.member('groupie');
  const moderator = await app.member('moderator');
  await app.rt.users.setRole(moderator, 1, 'moderator');
  await app.befriend(owner, friend);
  const group = await app.container(owner, [groupie]);
  await app.rt.networks.update(1, { allowGuests: true });
  const ids: Record<string, number> = {};
  for (const level of ACCESS_LEVELS) {
    ids[level] = await app.quickPost(owner, `level-${level} #matrix`, level, { containerId: level === 'group' ? group : null });
    await app.rt.entities.setTags(ids[level], ['matrix']);
  }
  return ids;
}

async function agentFor(app: ActApp, who: Viewer) {
  if (who === 'guest') return app.agent();
  if (who === 'admin') {
    const a = app.agent();
    await a.login(ADMIN.username, ADMIN.password);
    return a;
  }
  return (await app.as(who)).agent;
}

eachActApp('feeds, tag page, profile feed, status page and API show each level to exactly its viewers', async (t, app) => {
  const ids = await arrange(app);
  for (const who of VIEWERS) {
    const agent = await agentFor(app, who);
    const pages = {
      network: (await agent.http.get('/activity')).text,
      tag: (await agent.http.get('/tags/matrix')).text,
      profile: (await agent.http.get('/people/owner/activity')).text,
      api: JSON.stringify((await agent.http.get('/api/v1/activity')).body),
    };
    for (const level of ACCESS_LEVELS) {
      const expected = SEES[level].includes(who);
      for (const [surface, text] of Object.entries(pages)) {
        t.is(text.includes(`level-${level}`), expected, `${who} on ${surface}, level ${level}`);
      }
      const single = await agent.http.get(`/status/${ids[level]}`);
      t.is(single.status, expected ? 200 : who === 'guest' ? 302 : 404, `${who} on the status page, level ${level}`);
      if (!expected && who !== 'guest') t.regex(single.text, /does not exist/);
    }
  }
});

eachActApp('Atom feeds carry public content only, and exist only where guests are allowed', async (t, app) => {
  await arrange(app);
  const owner = await app.as('owner');
  for (const path of ['/activity/feed.atom', '/tags/matrix/feed.atom', '/people/owner/activity.atom']) {
    const res = await owner.agent.http.get(path); // signed in, yet the feed is the guests' view
    t.is(res.status, 200, path);
    t.regex(res.headers['content-type'], /application\/atom\+xml/);
    t.true(res.text.includes('level-public'), path);
    for (const level of ACCESS_LEVELS.filter((l) => l !== 'public')) t.false(res.text.includes(`level-${level}`), `${path} ${level}`);
    t.regex(res.text, /^<\?xml/);
  }
  await app.rt.networks.update(1, { allowGuests: false });
  t.is((await app.agent().http.get('/activity/feed.atom')).status, 404);
  t.is((await app.agent().http.get('/activity')).status, 302, 'guests are sent to sign in');
  t.is((await app.agent().http.get('/api/v1/activity')).status, 401);
});

eachActApp('a suspended member’s acts leave every feed; a deleted post leaves at once', async (t, app) => {
  const [alice] = await app.members('alice', 'bob');
  const kept = await app.quickPost(alice, 'still-here');
  const gone = await app.quickPost(alice, 'about-to-go');
  const bob = await app.as('bob');
  let text = (await bob.agent.http.get('/activity')).text;
  t.true(text.includes('still-here') && text.includes('about-to-go'));
  await app.rt.entities.softDelete(gone);
  text = (await bob.agent.http.get('/activity')).text;
  t.false(text.includes('about-to-go'));
  await app.rt.users.setStatus(alice, 'suspended');
  text = (await bob.agent.http.get('/activity')).text;
  t.false(text.includes('still-here'));
  t.is((await bob.agent.http.get(`/status/${kept}`)).status, 200, 'the post itself stays for those who can see it');
});

eachActApp('a post one cannot see answers exactly like one that does not exist', async (t, app) => {
  const [alice] = await app.members('alice', 'bob');
  const hidden = await app.quickPost(alice, 'secret', 'private');
  const bob = await app.as('bob');
  const a = await bob.agent.http.get(`/status/${hidden}`);
  const b = await bob.agent.http.get('/status/99999999');
  t.is(a.status, 404);
  t.is(b.status, 404);
  const strip = (s: string) => s.replace(/name="_csrf" value="[^"]+"/g, '').replace(/value="\/status\/\d+"/g, '');
  t.is(strip(a.text), strip(b.text));
  for (const action of ['edit', 'delete', 'pin']) {
    const res = await bob.post(`/status/${hidden}/${action}`, { body: 'x', until: '2999-01-01' });
    t.true([403, 404].includes(res.status), `${action}: ${res.status}`);
    if (action !== 'pin') t.is(res.status, 404, action);
  }
  t.is((await app.rt.db('status_posts').where({ entity_id: hidden }).first()).body, 'secret');
});
