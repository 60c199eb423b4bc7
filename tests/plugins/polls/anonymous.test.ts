// Anonymous ballots, on both databases: who voted is kept apart from what they chose, and no
// surface joins the two. The tables themselves (their columns; no per-ballot row; on SQLite no
// hidden rowid; a vote writes every option of the poll alike), the whole database before and
// after a vote (nothing else changes: no feed entry, no notification, no job), and every page
// and export as the voter, the poll's owner, a moderator and the admin.
import { ADMIN } from '../../helpers/app';
import { passwordOf } from '../../helpers/members';
import { snapshotter } from '../../helpers/snapshot';
import { eachPollsApp, vote } from './support';
import { rowCount } from '../../helpers/rows';

const columnsOf = async (app: { rt: { db: import('knex').Knex } }, table: string): Promise<string[]> =>
  Object.keys(await app.rt.db(table).columnInfo()).sort();

eachPollsApp('anonymous polls: the tables keep who voted apart from what was chosen, with nothing that joins them', async (t, app, db) => {
  await app.member('olga', 'Olga');
  const zed = await app.member('zed', 'Zed Voter');
  const amy = await app.member('amy', 'Amy Voter');
  t.true(zed < amy);
  // "Other" words are refused in an anonymous poll (free text can name its writer).
  const olga = await app.as('olga');
  const refused = await olga.post('/polls', { question: 'Q?', options: 'a\nb', other: '1', anonymous: '1', results: 'always', access: 'members' });
  t.is(refused.status, 422);
  t.true(refused.text.includes('An anonymous poll takes no “Other” answer'));
  const id = await app.poll('olga', { question: 'Trust the board?', options: 'Yes\nNo\nUnsure', anonymous: '1', results: 'always' });
  const [yes, no] = await app.optionIds(id);

  t.deepEqual(await columnsOf(app, 'polls_voters'), ['poll_id', 'user_id']);
  t.deepEqual(await columnsOf(app, 'polls_options'), ['id', 'is_other', 'label', 'poll_id', 'position', 'votes']);
  t.deepEqual(await columnsOf(app, 'polls_polls'), [
    'anonymous',
    'closed_at',
    'closes_at',
    'entity_id',
    'multiple',
    'parent_entity_id',
    'question',
    'results',
  ]);

  const snap = await snapshotter(app.rt.db, db.kind);
  const before = await snap.take();
  const amyA = await app.as('amy');
  const zedA = await app.as('zed');
  const sessions = await snap.take();
  await vote(amyA, id, [no]);
  await vote(zedA, id, [yes]);
  const after = await snap.take();
  const changed = snap.tables.filter((name) => after.get(name)!.sum !== sessions.get(name)!.sum).sort();
  // Signing in wrote sessions; the two votes wrote the voters and the counters, nothing else.
  t.deepEqual(changed, ['polls_options', 'polls_voters'].sort(), `tables changed by voting: ${changed.join(', ')}`);
  t.truthy(before);
  t.deepEqual(await app.votes(id), [1, 1, 0]);
  t.is(await rowCount(app.rt.db('polls_choices').where({ poll_id: id })), 0);
  if (db.kind === 'sqlite') {
    // The voters come back by member, not in the order they voted (Amy voted first): no hidden rowid.
    const order = (await app.rt.db('polls_voters').where({ poll_id: id }).select('user_id')).map((r: { user_id: number }) => Number(r.user_id));
    t.deepEqual(order, [zed, amy]);
    await t.throwsAsync(app.rt.db.raw('select rowid from polls_voters'), { message: /no such column: rowid/ });
  }
  // A second ballot of a voter is not counted and cannot replace the first.
  await vote(zedA, id, [no]);
  t.deepEqual(await app.votes(id), [1, 1, 0]);
});

eachPollsApp('anonymous polls: no page, list, feed, notification or export shows who chose what, to anyone', async (t, app) => {
  await app.member('olga', 'Olga Owner');
  await app.member('bob', 'Bobby Voter');
  const modId = await app.member('mod', 'Moderator');
  await app.rt.db('memberships').where({ user_id: modId }).update({ role: 'moderator' });
  const status = await app.post('olga', 'Board vote', 'members');
  const olga = await app.as('olga');
  const id = await app.anonymousOn('olga', status);
  const [yes] = await app.optionIds(id);
  const bob = await app.as('bob');
  const viewers = [olga, await app.as('mod'), await app.as(ADMIN.username, passwordOf(ADMIN.username)), bob];
  const urls = [`/polls/${id}`, `/status/${status}`, '/activity', '/polls', '/notifications'];
  // How often each page names or links the voter before the vote (the feed says Bob joined).
  const mentions = async () => {
    const out: string[] = [];
    for (const [i, v] of viewers.entries())
      for (const url of urls) {
        const text = (await v.agent.http.get(url)).text;
        out.push(`${i} ${url}: ${text.split('Bobby Voter').length - 1} names, ${text.split('/people/bob').length - 1} links`);
      }
    return out;
  };
  const before = await mentions();
  const notificationsBefore = await rowCount(app.rt.db('notifications'));
  t.is((await vote(bob, id, [yes])).status, 303);
  t.is(await rowCount(app.rt.db('notifications')), notificationsBefore);
  t.deepEqual(await mentions(), before, 'a page names the voter more often after the vote');

  // The voter: "you voted", anonymous, no choice marked, no form to change it.
  const own = await bob.agent.http.get(`/polls/${id}`);
  t.true(own.text.includes('Your ballot is anonymous'));
  t.false(own.text.includes('poll__mine'));
  t.notRegex(own.text, /<input[^>]*\schecked/);
  t.false(own.text.includes('name="option"'));
  // Owner, moderator and admin: counts only; the export has no member rows.
  for (const v of viewers.slice(0, 3)) {
    const csv = await v.agent.http.get(`/polls/${id}/export.csv`);
    t.is(csv.status, 200);
    t.false(csv.text.includes('Bobby'));
    t.false(csv.text.includes('bob'));
    t.false(csv.text.includes('"Member","Username"'));
    t.true(csv.text.includes('"Yes","1"\r\n'));
  }
});
