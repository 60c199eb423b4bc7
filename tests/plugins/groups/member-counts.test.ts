// Group member counts (the directory, "my groups", a group's tab) are read from group_member_counts,
// which the database keeps in step with container memberships and account states (issue 18). After
// every change the table must equal the count of active members from the rows, and the pages show it.
import type { ExecutionContext } from 'ava';
import type { Knex } from 'knex';
import { migratorConfig } from '../../../core/db/migration';
import { migrations } from '../../../plugins/groups/migrations';
import { memberCountsFromRows } from '../../../plugins/groups/member-counts';
import { bulkMembers } from '../connections/support';
import { eachGroupApp } from './support';
import { statementsDuring } from '../../helpers/statements';

/** group_member_counts without its zero rows. */
async function stored(db: Knex): Promise<Record<string, number>> {
  const rows = (await db('group_member_counts').where('members', '<>', 0).select('group_id', 'members')) as Record<string, number | string>[];
  return Object.fromEntries(rows.map((r) => [String(r.group_id), Number(r.members)]));
}

async function inStep(t: ExecutionContext, db: Knex, what: string): Promise<Record<string, number>> {
  const now = await stored(db);
  const rows = (await memberCountsFromRows(db)) as Record<string, number | string>[];
  t.deepEqual(now, Object.fromEntries(rows.map((r) => [String(r.group_id), Number(r.members)])), `counts in step after ${what}`);
  return now;
}

const cardCount = (html: string, name: string): string | undefined =>
  new RegExp(`groups-card__name" href="[^"]*">${name}</a>[\\s\\S]*?groups-card__members">([^<]+)<`).exec(html)?.[1];

eachGroupApp('group member counts follow joins, leaves, removals, suspensions and deletions', async (t, app) => {
  for (const u of ['owner', 'ann', 'bob']) await app.member(u);
  const runners = await app.group('owner', { name: 'Runners', visibility: 'open' });
  const board = await app.group('owner', { name: 'Board', visibility: 'closed' });
  let c = await inStep(t, app.db, 'creations');
  t.deepEqual([c[runners], c[board]], [1, 1], 'the creator is the first member');
  const ann = await app.as('ann');
  await ann.post(`/groups/${runners}/join`);
  await (await app.as('bob')).post(`/groups/${runners}/join`);
  c = await inStep(t, app.db, 'joins');
  t.is(c[runners], 3);
  t.is(cardCount((await ann.get('/groups/mine')).text, 'Runners'), '3 members');
  t.is(cardCount((await ann.get('/groups')).text, 'Board'), '1 member');
  await ann.post(`/groups/${runners}/leave`);
  c = await inStep(t, app.db, 'a leave');
  t.is(c[runners], 2);

  await app.rt.users.setStatus(app.ids.bob, 'suspended');
  c = await inStep(t, app.db, 'a suspension');
  t.is(c[runners], 1, 'a suspended member is not counted');
  await app.rt.users.setStatus(app.ids.bob, 'active');
  c = await inStep(t, app.db, 'a reactivation');
  t.is(c[runners], 2);

  // An account without content is deleted: it leaves every count (its rows go by cascade).
  const [gone] = await bulkMembers(app.db, 'gone', 1);
  await app.db('container_members').insert([
    { container_id: runners, user_id: gone, role: 'member', created_at: Date.now() },
    { container_id: board, user_id: gone, role: 'member', created_at: Date.now() },
  ]);
  c = await inStep(t, app.db, 'rows written straight into the table');
  t.deepEqual([c[runners], c[board]], [3, 2]);
  await app.db('users').where({ id: gone }).delete();
  c = await inStep(t, app.db, 'a deletion');
  t.deepEqual([c[runners], c[board]], [2, 1]);
  t.is(cardCount((await ann.get('/groups')).text, 'Runners'), '2 members');
});

eachGroupApp('group member counts stay exact under simultaneous joins and leaves', async (t, app) => {
  await app.member('owner');
  const open = await app.group('owner', { name: 'Crowd', visibility: 'open' });
  const names = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal'];
  for (const n of names) await app.member(n);
  const agents = await Promise.all(names.map((n) => app.as(n)));
  await Promise.all(agents.map((a) => a.post(`/groups/${open}/join`)));
  let c = await inStep(t, app.db, 'simultaneous joins');
  t.is(c[open], names.length + 1);
  await Promise.all(agents.map((a, i) => a.post(`/groups/${open}/${i < 5 ? 'leave' : 'join'}`)));
  c = await inStep(t, app.db, 'simultaneous leaves and repeated joins');
  t.is(c[open], names.length + 1 - 5);
});

eachGroupApp('groups migration 003 fills the member counts from existing rows, and down removes them', async (t, app) => {
  await app.member('owner');
  await app.member('ann');
  const g = await app.group('owner', { name: 'Runners', visibility: 'open' });
  const config = migratorConfig('groups', migrations);
  t.deepEqual(await app.rt.db.migrate.down(config), [1, ['003_group_member_counts']], 'the last migration of groups is 003');
  await app.join(g, 'ann');
  await app.rt.db.migrate.up(config);
  t.is((await inStep(t, app.db, 'the migration'))[g], 2);
  await app.rt.db.migrate.down(config);
  t.false(await app.db.schema.hasTable('group_member_counts'));
  await app.db('container_members').where({ container_id: g, user_id: app.ids.ann }).delete();
  t.pass('without the table no trigger is left to fail a write');
  await app.rt.db.migrate.up(config);
  t.is((await inStep(t, app.db, 'migrating up again'))[g], 1);
});

eachGroupApp('the group directory reads its page of groups, with their member counts, in one statement (issue 18)', async (t, app) => {
  for (const u of ['owner', 'ann']) await app.member(u);
  for (const name of ['Alpha', 'Beta', 'Gamma']) await app.group('owner', { name, visibility: 'open' });
  await app.group('owner', { name: 'Hidden', visibility: 'secret' });
  const ann = await app.as('ann');
  await ann.get('/groups'); // warm caches
  const { value: res, sql: statements } = await statementsDuring(app.rt, () => ann.get('/groups'));
  t.deepEqual(
    ['Alpha', 'Beta', 'Gamma', 'Hidden'].map((n) => cardCount(res.text, n)),
    ['1 member', '1 member', '1 member', undefined],
  );
  t.is(statements.filter((s) => /name_lower|description_html/.test(s)).length, 1, statements.join('\n'));
});
