// Editing a poll before its first vote: its managers change the question, options and how it
// runs through the same form; once a ballot is in, the edit is refused with a clear message
// (the words typed kept), and the Edit button is gone. An anonymous poll's edit surfaces name
// no voter and no choice.
import { rowCount } from '../../helpers/rows';
import type { FormAgent } from '../../helpers/members';
import { eachPollsApp, vote } from './support';

/** Posts the edit form of poll `id` as `agent` (results shown always unless `fields` say otherwise). */
const edit = (agent: Pick<FormAgent, 'post'>, id: number, fields: Record<string, string>) =>
  agent.post(`/polls/${id}/edit`, { results: 'always', ...fields });

eachPollsApp('polls: edited by its manager before the first vote; refused after it with the words kept; others may not', async (t, app) => {
  await app.member('olga', 'Olga Owner');
  await app.member('bob', 'Bobby Voter');
  const id = await app.poll('olga', { question: 'Where do we meet?', options: 'Park\nLibrary' });
  const olga = await app.as('olga');
  const bob = await app.as('bob');
  // the manager sees Edit; a member does not, and may not open the form
  t.true((await olga.agent.http.get(`/polls/${id}`)).text.includes('data-poll-edit'));
  t.false((await bob.agent.http.get(`/polls/${id}`)).text.includes('data-poll-edit'));
  t.is((await bob.agent.http.get(`/polls/${id}/edit`)).status, 403);
  t.is((await edit(bob, id, { question: 'Hijacked?', options: 'a\nb', access: 'members' })).status, 403);
  // the form comes filled in; bad input is refused with the words kept
  const form = await olga.agent.http.get(`/polls/${id}/edit`);
  t.is(form.status, 200);
  t.true(form.text.includes('Edit the poll'));
  t.true(form.text.includes('Where do we meet?'));
  t.true(form.text.includes('Park\nLibrary'));
  const bad = await edit(olga, id, { question: 'Where do we meet on Saturday?', options: 'Park', access: 'members' });
  t.is(bad.status, 422);
  t.true(bad.text.includes('Where do we meet on Saturday?'));
  const ok = await edit(olga, id, { question: 'Where do we meet on Saturday?', options: 'Park\nLibrary\nCafé', multiple: '1', access: 'members' });
  t.is(ok.status, 303);
  const row = await app.rt.db('polls_polls').where({ entity_id: id }).first();
  t.is(row.question, 'Where do we meet on Saturday?');
  t.truthy(Number(row.multiple));
  t.deepEqual(await app.rt.db('polls_options').where({ poll_id: id }).orderBy('position').pluck('label'), ['Park', 'Library', 'Café']);
  // a ballot: no more edits, said clearly; what was typed is kept; the poll is unchanged
  const [park] = await app.optionIds(id);
  t.is((await vote(bob, id, [park])).status, 303);
  t.false((await olga.agent.http.get(`/polls/${id}`)).text.includes('data-poll-edit'));
  const late = await olga.agent.http.get(`/polls/${id}/edit`);
  t.is(late.status, 303);
  t.is(late.headers.location, `/polls/${id}`);
  const refused = await edit(olga, id, { question: 'Somewhere else?', options: 'Beach\nPark', access: 'members' });
  t.is(refused.status, 409);
  t.true(refused.text.includes('This poll can no longer be changed: members have voted.'));
  t.true(refused.text.includes('Somewhere else?'));
  t.is((await app.rt.db('polls_polls').where({ entity_id: id }).first()).question, 'Where do we meet on Saturday?');
  t.deepEqual(await app.votes(id), [1, 0, 0]);
});

eachPollsApp('polls: an anonymous poll edited before its vote; after it, the edit pages name no voter and no choice', async (t, app) => {
  await app.member('olga', 'Olga Owner');
  await app.member('bob', 'Bobby Voter');
  const status = await app.post('olga', 'Board vote', 'members');
  const olga = await app.as('olga');
  const id = await app.anonymousOn('olga', status);
  // attached to the status: saved, back to the status' page
  const saved = await edit(olga, id, { question: 'Do you trust the board?', options: 'Yes\nNo\nAbstain', anonymous: '1' });
  t.is(saved.status, 303);
  t.regex(String(saved.headers.location), new RegExp(`#poll-${id}$`));
  t.is((await app.rt.entities.get(id))!.access, 'private', 'an attached poll still follows its post');
  const [yes] = await app.optionIds(id);
  const bob = await app.as('bob');
  t.is((await vote(bob, id, [yes])).status, 303);
  const voters = await rowCount(app.rt.db('polls_voters').where({ poll_id: id }));
  t.is(voters, 1);
  for (const res of [
    await olga.agent.http.get(`/polls/${id}/edit`),
    await edit(olga, id, { question: 'Again?', options: 'Yes\nNo', anonymous: '1' }),
    await olga.agent.http.get(`/status/${status}`),
  ]) {
    t.false(res.text.includes('Bobby'), 'no voter name');
    t.false(res.text.includes('/people/bob'), 'no voter link');
    t.false(res.text.includes('poll__mine'), 'no choice marked');
  }
  // the tables: who voted has nothing but the poll and the member; the counts nothing but numbers
  t.deepEqual(Object.keys(await app.rt.db('polls_voters').where({ poll_id: id }).first()).sort(), ['poll_id', 'user_id']);
  t.is(await rowCount(app.rt.db('polls_choices').where({ poll_id: id })), 0);
});
