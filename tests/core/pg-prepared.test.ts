/**
 * Reads of core/db/statements.ts as PostgreSQL's named prepared statements (core/db/pg-prepared.ts,
 * issue 21). On both databases: a read whose table gained a column since it was prepared answers
 * the new columns, whichever way it runs (preparedRead, readBuilt, KeptBuilds). On PostgreSQL: a
 * built text is a named statement of its connection, which keeps PG_BUILT_KEPT of them and
 * prepares an evicted one again; a text run again and again is planned once, generically.
 * The PostgreSQL knex instances here have one connection, so that every read meets the
 * statements the previous ones prepared.
 */
import test from 'ava';
import knexFactory, { type Knex } from 'knex';
import { createDatabase } from '../../core/db/database';
import { PG_BUILT_KEPT } from '../../core/db/pg-prepared';
import { KeptBuilds, preparedRead, readBuilt } from '../../core/db/statements';
import { databaseKinds, eachDatabase, freshDatabase, type TestDatabase } from '../helpers/databases';
import { withNotes } from '../helpers/notes-table';

/** The database with the `notes` table; on PostgreSQL through a single pool connection. */
const withDb = (db: TestDatabase, fn: (knex: Knex) => Promise<void>): Promise<void> =>
  withNotes(db.kind === 'sqlite' ? createDatabase(db.url) : knexFactory({ client: 'pg', connection: db.url, pool: { min: 1, max: 1 } }), fn);

const ALL_OWNED = preparedRead<Record<string, unknown>>('select * from notes where owner = ? order by id');

eachDatabase('a read prepared before its table gained a column answers the new columns', async (t, db) => {
  await withDb(db, async (knex) => {
    const kept = new KeptBuilds(4);
    const reads = {
      preparedRead: () => ALL_OWNED.all(knex, [1]),
      readBuilt: () => readBuilt<Record<string, unknown>>(knex, knex('notes').where('owner', 1).orderBy('id').select('*')),
      KeptBuilds: () => kept.read<Record<string, unknown>>(knex, 'owner 1', () => knex('notes').where('owner', 1).orderBy('id').select('*')),
    };
    for (const [how, read] of Object.entries(reads)) t.deepEqual(Object.keys((await read())[0]), ['id', 'owner', 'body'], how);
    await knex.schema.alterTable('notes', (tb) => tb.string('mood').notNullable().defaultTo('calm'));
    for (const [how, read] of Object.entries(reads)) {
      const rows = await read();
      t.deepEqual(
        rows.map((r) => [Number(r.id), r.body, r.mood]),
        [
          [1, 'one', 'calm'],
          [2, 'two', 'calm'],
        ],
        how,
      );
    }
  });
});

const pgOnly = databaseKinds().includes('postgres') ? test : test.skip;

async function withPgNotes(fn: (knex: Knex) => Promise<void>): Promise<void> {
  const db = await freshDatabase('postgres');
  try {
    await withDb(db, fn);
  } finally {
    await db.drop();
  }
}

/** The built statements the connection holds prepared, by text. */
async function builtStatements(knex: Knex): Promise<Map<string, { generic: number; custom: number }>> {
  const { rows } = (await knex.raw("select statement, generic_plans, custom_plans from pg_prepared_statements where name like 'ruche\\_b\\_%'")) as {
    rows: { statement: string; generic_plans: string; custom_plans: string }[];
  };
  return new Map(rows.map((r) => [r.statement, { generic: Number(r.generic_plans), custom: Number(r.custom_plans) }]));
}

pgOnly('a built text is a named statement of its connection, which keeps the last ones and prepares an evicted one again', async (t) => {
  await withPgNotes(async (knex) => {
    // One text per length of the id list: more texts than a connection keeps.
    const among = (n: number) =>
      knex('notes')
        .whereIn('id', [...Array.from({ length: n }, (_, i) => 1000 + i), 1, 3])
        .orderBy('id')
        .select('id', 'body');
    const text = (n: number) => among(n).toSQL().toNative().sql;
    const texts = PG_BUILT_KEPT + 10;
    for (let n = 1; n <= texts; n++)
      t.deepEqual(
        (await readBuilt<{ id: number; body: string }>(knex, among(n))).map((r) => r.body),
        ['one', 'three'],
      );
    let held = await builtStatements(knex);
    t.is(held.size, PG_BUILT_KEPT, 'the connection keeps PG_BUILT_KEPT built statements');
    t.true(held.has(text(texts)), 'the last text is kept');
    t.false(held.has(text(1)), 'the least recent was deallocated');
    t.deepEqual(
      (await readBuilt<{ body: string }>(knex, among(1))).map((r) => r.body),
      ['one', 'three'],
      'an evicted text runs again',
    );
    held = await builtStatements(knex);
    t.true(held.has(text(1)), 'prepared again');
    t.false(held.has(text(11)), 'in place of the least recent');
    t.is(held.size, PG_BUILT_KEPT);
  });
});

pgOnly('a kept text run again and again is planned once, generically', async (t) => {
  await withPgNotes(async (knex) => {
    const kept = new KeptBuilds(4);
    const OWNER = -4_242;
    const build = () => knex('notes').where('owner', OWNER).orderBy('id').select('id');
    for (let i = 0; i < 10; i++) {
      const owner = (i % 2) + 1;
      const rows = await kept.read<{ id: number }>(knex, 'by owner', build, new Map([[OWNER, owner]]));
      t.deepEqual(
        rows.map((r) => r.id),
        owner === 1 ? [1, 2] : [3],
      );
    }
    const [plans] = [...(await builtStatements(knex)).values()];
    t.truthy(plans, 'the text is a named statement');
    t.is(plans.custom + plans.generic, 10, 'one statement for the ten reads');
    t.true(plans.generic >= 4, `the generic plan serves the later reads (${plans.generic} generic, ${plans.custom} custom)`);
  });
});
