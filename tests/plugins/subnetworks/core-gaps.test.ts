// What the core had to change for sub-networks (issue 7), now done:
//  (1. done: core/http/network.ts — unknown Host headers answer a 404 page; see hosts.test.ts.)
//  (2. done: core/http/outsiders.ts — a signed-in member who belongs to none of the
//     request's network gets a localised 403 page listing their networks, JSON under /api/;
//     see outsiders.test.ts.)
//  (3. done: core/access/access.ts — the `members` and `public` levels reach the root's
//     community and the entity's own network, not members of a sub-network only.)
import { eachApp } from '../../helpers/each-app';
import { subApp } from './support';

eachApp('core: a partner member at the root gets a page offering their networks, on pages and APIs', subApp, async (t, app) => {
  const partner = await app.network('partner', { name: 'Partner Co' });
  const pat = await app.member('pat');
  await app.join(pat, partner.id);
  await app.onlyIn(pat);
  const a = await app.as('pat');
  for (const path of ['/', '/people', '/activity']) {
    const res = await a.agent.http.get(path);
    t.is(res.status, 403, path);
    t.regex(res.text, /href="\/n\/partner\/"/, `${path} offers the partner network`);
  }
  for (const path of ['/api/v1/activity', '/api/v1/mentions?q=a']) {
    const res = await a.agent.http.get(path).set('accept', 'application/json');
    t.is(res.status, 403, path);
  }
});

eachApp('core: root content at the `members` level is not shown to a partner member', subApp, async (t, app) => {
  const partner = await app.network('partner', { name: 'Partner Co' });
  const bob = await app.member('bob');
  const pat = await app.member('pat');
  await app.join(pat, partner.id);
  await app.onlyIn(pat);
  const id = await app.quickPost(bob, 'ROOT-MEMBERS post', 'members');
  const a = await app.as('pat');
  const res = await a.agent.http.get(`/status/${id}`);
  t.notRegex(res.text, /ROOT-MEMBERS post/);
  const api = await a.agent.http.get('/api/v1/activity').set('accept', 'application/json');
  t.notRegex(api.text, /ROOT-MEMBERS post/);
});
