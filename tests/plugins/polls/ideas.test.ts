// The idea box on both databases: proposing (refusals keep the input), voting up and down with
// a budget, double submits counted once, lists by votes / newest / status, the managers' status
// and reply shown on the idea with its authors and voters notified, comments through the
// comments plugin, and a group's box hidden from those outside the group.
import { eachPollsApp } from './support';
import { rowCount } from '../../helpers/rows';

const idOf = (location: string): number => Number(/\/ideas\/(\d+)$/.exec(location)![1]);

eachPollsApp('ideas: propose, vote with a budget, up and down, lists by votes, newest and status', async (t, app) => {
  await app.member('olga', 'Olga');
  await app.member('bob', 'Bob');
  const olga = await app.as('olga');
  const bob = await app.as('bob');
  const refused = await olga.post('/ideas', { title: '   ', body: 'Kept words', access: 'members' });
  t.is(refused.status, 422);
  t.true(refused.text.includes('Say what your idea is.'));
  t.true(refused.text.includes('>Kept words</textarea>'));
  const ids: number[] = [];
  for (const title of ['A bike shed', 'Standing desks', 'Fruit on Fridays']) {
    const res = await olga.post('/ideas', { title, body: `About ${title}`, access: 'members' });
    t.is(res.status, 303);
    ids.push(idOf(res.headers.location));
  }
  const [shed, desks, fruit] = ids;
  const score = async (id: number) => Number((await app.db('polls_ideas').where({ entity_id: id }).first('score'))!.score);
  // Up only by default: a down vote is refused.
  await bob.post(`/ideas/${desks}/vote`, { value: 'down' });
  t.is(await score(desks), 0);
  const double = await Promise.all(Array.from({ length: 6 }, () => bob.post(`/ideas/${desks}/vote`, { value: 'up' })));
  t.deepEqual(
    double.map((r) => r.status),
    Array(6).fill(303),
  );
  t.is(await score(desks), 1);
  await olga.post(`/ideas/${desks}/vote`, { value: 'up' });
  await olga.post(`/ideas/${fruit}/vote`, { value: 'up' });
  const byVotes = (await bob.agent.http.get('/ideas')).text;
  t.true(byVotes.indexOf('Standing desks') < byVotes.indexOf('Fruit on Fridays'));
  t.true(byVotes.indexOf('Fruit on Fridays') < byVotes.indexOf('A bike shed'));
  const newest = (await bob.agent.http.get('/ideas?sort=newest')).text;
  t.true(newest.indexOf('Fruit on Fridays') < newest.indexOf('Standing desks'));
  // Withdrawing.
  await bob.post(`/ideas/${desks}/vote`, { value: 'none' });
  t.is(await score(desks), 1);

  // Up and down, with a budget of one open vote per member.
  const root = app.rt.networks.root().id;
  await app.rt.pluginState.configure('polls', { ideaVoting: 'updown', ideaBudget: '1' }, root);
  await bob.post(`/ideas/${shed}/vote`, { value: 'down' });
  t.is(await score(shed), -1);
  const over = await bob.post(`/ideas/${fruit}/vote`, { value: 'up' });
  t.is(over.status, 303);
  t.is(await score(fruit), 1);
  t.true((await bob.agent.http.get(`/ideas/${fruit}`)).text.includes('You already hold your 1 vote'));
  // Changing a vote on the same idea is no new vote.
  await bob.post(`/ideas/${shed}/vote`, { value: 'up' });
  t.is(await score(shed), 1);
  t.true((await bob.agent.http.get('/ideas')).text.includes('You have 0 of 1 vote left for open ideas.'));
  // A settled idea gives the vote back.
  await app.db('polls_ideas').where({ entity_id: shed }).update({ status: 'done' });
  await bob.post(`/ideas/${fruit}/vote`, { value: 'up' });
  t.is(await score(fruit), 2);
  const done = (await bob.agent.http.get('/ideas?status=done')).text;
  t.true(done.includes('A bike shed'));
  t.false(done.includes('Fruit on Fridays'));
});

eachPollsApp('ideas: managers set a status with a reply, shown on the idea; its author and voters are told; members may not', async (t, app) => {
  await app.member('olga', 'Olga');
  await app.member('bob', 'Bob');
  await app.member('cat', 'Cat');
  const modId = await app.member('mod', 'Moderator');
  await app.rt.db('memberships').where({ user_id: modId }).update({ role: 'moderator' });
  const olga = await app.as('olga');
  const id = idOf((await olga.post('/ideas', { title: 'Quiet room', body: 'A room without calls.', access: 'members' })).headers.location);
  const bob = await app.as('bob');
  await bob.post(`/ideas/${id}/vote`, { value: 'up' });
  // The author is no manager.
  t.is((await olga.post(`/ideas/${id}/status`, { status: 'planned', reply: 'Mine!' })).status, 403);
  const mod = await app.as('mod');
  t.false((await bob.agent.http.get(`/ideas/${id}`)).text.includes('name="status"'));
  t.true((await mod.agent.http.get(`/ideas/${id}`)).text.includes('name="status"'));
  t.is((await mod.post(`/ideas/${id}/status`, { status: 'planned', reply: 'Third floor, from March.' })).status, 303);
  const page = (await bob.agent.http.get(`/ideas/${id}`)).text;
  t.true(page.includes('Third floor, from March.'));
  t.true(page.includes('Planned'));
  await app.rt.jobs.runDue({ now: Date.now() + 60_000 });
  const told = (await app.db('notifications').where({ kind: 'polls.ideaStatus', entity_id: id }).pluck('user_id')).map(Number).sort();
  const [olgaId, bobId] = await Promise.all(['olga', 'bob'].map(async (u) => Number((await app.db('users').where({ username: u }).first('id'))!.id)));
  t.deepEqual(
    told,
    [olgaId, bobId].sort((a, b) => a - b),
  );
  const list = (await bob.agent.http.get('/notifications')).text;
  t.true(list.includes('marked an idea you follow as Planned'));
  // The same status again tells nobody again; comments come from the comments plugin.
  await mod.post(`/ideas/${id}/status`, { status: 'planned', reply: 'Third floor, from April.' });
  t.is(await rowCount(app.db('notifications').where({ kind: 'polls.ideaStatus', entity_id: id })), 2);
  t.true((await bob.agent.http.get(`/ideas/${id}`)).text.includes('Third floor, from April.'));
  const cat = await app.as('cat');
  t.is((await cat.post(`/entities/${id}/comments`, { body: 'Yes please!' })).status, 303);
  t.true((await bob.agent.http.get(`/ideas/${id}`)).text.includes('Yes please!'));
});

eachPollsApp("ideas: a group's box is its members' (and moderators'): hidden from others, on every surface", async (t, app) => {
  const { group } = await app.olgasGroup();
  const coraA = await app.as('cora');
  const res = await coraA.post('/ideas', { container: String(group), title: 'Team lunch monthly', access: 'group' });
  t.is(res.status, 303);
  const id = idOf(res.headers.location);
  const mia = await app.as('mia');
  t.is((await mia.agent.http.get(`/ideas/${id}`)).status, 404);
  t.is((await mia.post(`/ideas/${id}/vote`, { value: 'up' })).status, 404);
  t.is((await mia.post(`/ideas/${id}/status`, { status: 'done' })).status, 404);
  t.is((await mia.agent.http.get(`/ideas/new?container=${group}`)).status, 404);
  t.false((await mia.agent.http.get(`/ideas/in/${group}`)).text.includes('Team lunch monthly'));
  t.false((await mia.agent.http.get('/ideas')).text.includes('Team lunch monthly'));
  t.true((await coraA.agent.http.get(`/ideas/in/${group}`)).text.includes('Team lunch monthly'));
  t.false((await coraA.agent.http.get('/ideas')).text.includes('Team lunch monthly'));
  t.is((await app.agent().http.get(`/ideas/${id}`)).status, 302);
  // The group's admin manages its box.
  const olgaA = await app.as('olga');
  t.is((await olgaA.post(`/ideas/${id}/status`, { status: 'review' })).status, 303);
  t.is((await app.db('polls_ideas').where({ entity_id: id }).first('status'))!.status, 'review');
});
