// The river's statement text is kept by viewer and filters (KeptBuilds, issue 18): a page read
// after another viewer's, or after the viewer's rights changed, lists what that viewer sees now.
import { eachActApp } from './support';

eachActApp('the kept river text is each viewer’s own, on the home and network feeds', async (t, app) => {
  const [ana, bob] = await app.members('ana', 'bob');
  await app.quickPost(ana, 'ana-private-words', 'private');
  await app.quickPost(bob, 'bob-private-words', 'private');
  const agents = { ana: await app.as('ana'), bob: await app.as('bob') };
  // Twice each, alternated: the second read of each viewer runs a kept text.
  for (let round = 0; round < 2; round++)
    for (const [who, other] of [
      ['ana', 'bob'],
      ['bob', 'ana'],
    ] as const)
      for (const path of ['/feed', '/activity']) {
        const res = await agents[who].agent.http.get(path);
        t.is(res.status, 200, `${who} ${path}`);
        t.true(res.text.includes(`${who}-private-words`), `${who} sees their own post on ${path}, round ${round}`);
        t.false(res.text.includes(`${other}-private-words`), `${who} does not see ${other}’s post on ${path}, round ${round}`);
      }
});

eachActApp('a new role is a new river text: a member made admin sees what they did not', async (t, app) => {
  const [ana, carl] = await app.members('ana', 'carl');
  await app.quickPost(ana, 'ana-private-words', 'private');
  const before = await app.as('carl');
  for (let i = 0; i < 2; i++) t.false((await before.agent.http.get('/activity')).text.includes('ana-private-words'), `member, read ${i}`);
  await app.rt.users.setRole(carl, 1, 'admin');
  const after = await app.as('carl');
  for (let i = 0; i < 2; i++) t.true((await after.agent.http.get('/activity')).text.includes('ana-private-words'), `admin, read ${i}`);
  await app.rt.users.setRole(carl, 1, 'member');
  const again = await app.as('carl');
  t.false((await again.agent.http.get('/activity')).text.includes('ana-private-words'), 'member again');
});
