// A migration step may rebuild a table that other owners' row triggers name in their bodies:
// on SQLite, altering a column of `users` rebuilds the table and SQLite refuses while a trigger
// names it. The migrator sets every trigger aside around each step and puts back those the step
// did not drop or recreate, whose table still exists (core/db/triggers.ts). Checked on the full
// app, whose connection and group counters are kept by triggers on users' neighbours.
import type { Knex } from 'knex';
import { createRowTrigger, dropRowTrigger, type Migration } from '../../core';
import { Migrator } from '../../core/db/migrator';
import { eachApp } from '../helpers/each-app';
import { makeApp } from '../helpers/app';

const tally: Parameters<typeof createRowTrigger>[1] = {
  name: 'probe_tally',
  table: 'probe_items',
  timing: 'after',
  event: 'insert',
  statements: ['update probe_counts set n = n + 1 where user_id = new.user_id and exists (select 1 from users u where u.id = new.user_id)'],
};
const doomed: Parameters<typeof createRowTrigger>[1] = {
  name: 'probe_doomed',
  table: 'probe_items',
  timing: 'after',
  event: 'delete',
  statements: ['update probe_counts set n = n - 1 where user_id = old.user_id'],
};
const onScratch: Parameters<typeof createRowTrigger>[1] = {
  name: 'probe_scratch',
  table: 'probe_scratch',
  timing: 'after',
  event: 'insert',
  statements: ['update probe_counts set n = n + 100 where user_id = new.user_id'],
};

const steps: Migration[] = [
  {
    name: '001_tables',
    async up(db) {
      await db.schema.createTable('probe_counts', (t) => {
        t.integer('user_id').primary();
        t.integer('n').notNullable().defaultTo(0);
      });
      await db.schema.createTable('probe_items', (t) => {
        t.increments('id');
        t.integer('user_id').notNullable();
      });
      await db.schema.createTable('probe_scratch', (t) => t.integer('user_id'));
      for (const tr of [tally, doomed, onScratch]) await createRowTrigger(db, tr);
      await db.schema.alterTable('users', (t) => t.string('probe_note', 40));
    },
    async down(db) {
      for (const tr of [tally, doomed, onScratch]) await dropRowTrigger(db, tr.name, tr.table);
      await db.schema.dropTableIfExists('probe_scratch');
      await db.schema.dropTableIfExists('probe_items');
      await db.schema.dropTableIfExists('probe_counts');
      await db.schema.alterTable('users', (t) => t.dropColumn('probe_note'));
    },
  },
  {
    // Dropping a column makes knex rebuild `users` on SQLite, which every trigger naming it blocks.
    name: '002_rebuild_users',
    async up(db) {
      await db.schema.alterTable('users', (t) => t.dropColumn('probe_note'));
    },
    async down(db) {
      await db.schema.alterTable('users', (t) => t.string('probe_note', 40));
    },
  },
  {
    name: '003_drop_one_trigger_and_a_table',
    async up(db) {
      await dropRowTrigger(db, doomed.name, doomed.table);
      await db.schema.dropTable('probe_scratch');
    },
    async down(db) {
      await db.schema.createTable('probe_scratch', (t) => t.integer('user_id'));
      await createRowTrigger(db, onScratch);
      await createRowTrigger(db, doomed);
    },
  },
];

async function triggerNames(db: Knex): Promise<string[]> {
  const rows =
    db.client.config.client === 'sqlite3'
      ? await db('sqlite_master').where({ type: 'trigger' }).pluck('name')
      : await db('information_schema.triggers').distinct('trigger_name').pluck('trigger_name');
  return (rows as string[]).sort();
}

eachApp('a migration step may rebuild users while row triggers name it; triggers it did not drop come back', makeApp, async (t, { app }) => {
  const db = app.ruche.db;
  const before = await triggerNames(db);
  t.true(
    before.some((n) => n.startsWith('connection_counts') || n.includes('member')),
    `the app's counters are kept by triggers (${before.join(', ')})`,
  );
  const migrator = new Migrator(db, { id: 'core', migrations: [] });
  const report = await migrator.latest([{ id: 'probe', migrations: steps }]);
  t.deepEqual(report, [{ owner: 'probe', names: steps.map((s) => s.name) }]);

  const after = await triggerNames(db);
  t.deepEqual(after, [...before, tally.name].sort(), 'the counters come back, the dropped trigger and the dropped table take theirs away');

  // The triggers put back still run: a probe item counts, and so does a new follow.
  const admin = Number((await db('users').orderBy('id').first('id')).id);
  await db('probe_counts').insert({ user_id: admin, n: 0 });
  await db('probe_items').insert({ user_id: admin });
  t.is(Number((await db('probe_counts').where({ user_id: admin }).first('n')).n), 1);
  await db('probe_items').where({ user_id: admin }).delete();
  t.is(Number((await db('probe_counts').where({ user_id: admin }).first('n')).n), 1, 'the trigger the step dropped stays dropped');

  const undone = await migrator.rollbackLastRun([{ id: 'probe', migrations: steps }]);
  t.deepEqual(
    undone.map((r) => r.owner),
    ['probe'],
  );
  t.deepEqual(await triggerNames(db), before, 'rolling back rebuilds users again and leaves the app its triggers');
});

const orphaning: Migration[] = [
  {
    name: '001_parent_child',
    async up(db) {
      await db.schema.createTable('probe_parents', (t) => {
        t.increments('id');
        t.string('label', 20);
      });
      await db.schema.createTable('probe_children', (t) => {
        t.increments('id');
        t.integer('parent_id').notNullable().references('id').inTable('probe_parents');
      });
      const [id] = await db('probe_parents').insert({ label: 'kept' }).returning('id');
      await db('probe_children').insert({ parent_id: typeof id === 'object' ? id.id : id });
    },
    async down(db) {
      await db.schema.dropTableIfExists('probe_children');
      await db.schema.dropTableIfExists('probe_parents');
    },
  },
  {
    name: '002_reshape_and_orphan',
    async up(db) {
      await db('probe_parents').delete();
      await db.schema.alterTable('probe_parents', (t) => t.dropColumn('label'));
    },
    async down() {},
  },
];

eachApp('a step that reshapes a table and breaks a foreign key fails and is rolled back', makeApp, async (t, { app }) => {
  const db = app.ruche.db;
  const migrator = new Migrator(db, { id: 'core', migrations: [] });
  await migrator.latest([{ id: 'probe', migrations: orphaning.slice(0, 1) }]);
  await t.throwsAsync(() => migrator.latest([{ id: 'probe', migrations: orphaning }]), { message: /foreign key/i });
  t.is(Number((await db('probe_parents').count({ n: '*' }).first())?.n), 1, 'the parent row is back');
  t.true(await db.schema.hasColumn('probe_parents', 'label'), 'the column is back');
  t.deepEqual(await db('ruche_migrations_probe').pluck('name'), ['001_parent_child']);
  // Foreign keys are enforced again once the migrator is done.
  await t.throwsAsync(() => db('probe_children').insert({ parent_id: 999 }));
});
