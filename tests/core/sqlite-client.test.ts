/**
 * knex's SQLite client keeping statements compiled (core/db/sqlite-client.ts, issue 18): the
 * same answers as before — rows, inserted ids, changed counts, constraint errors, a table
 * dropped and made again — while a text run again is compiled once, at most 256 are kept per
 * connection, and the database closes with them compiled.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import type sqlite3 from 'sqlite3';
import { createDatabase, type Db } from '../../core/db/database';
import { keptStatements } from '../../core/db/sqlite-client';

async function withSqlite(fn: (db: Db, file: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-sqlite-client-'));
  const file = path.join(dir, 'ruche.sqlite');
  const db = createDatabase(`sqlite:${file}`);
  try {
    await db.schema.createTable('notes', (t) => {
      t.increments('id');
      t.string('slug').notNullable().unique();
      t.integer('n').notNullable();
    });
    await fn(db, file);
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function kept(db: Db): Promise<number> {
  const conn = (await db.client.acquireConnection()) as sqlite3.Database;
  try {
    return keptStatements(conn);
  } finally {
    await db.client.releaseConnection(conn);
  }
}

test('inserts, updates, deletes and selects answer as knex always did', async (t) => {
  await withSqlite(async (db) => {
    t.is(db.client.config.client, 'sqlite3', 'code still tells SQLite by its client name');
    const [first] = await db('notes').insert({ slug: 'a', n: 1 });
    const [second] = await db('notes').insert({ slug: 'b', n: 2 });
    t.is(second, first + 1, 'inserted ids');
    t.deepEqual(await db('notes').insert({ slug: 'c', n: 3 }).returning('id'), [{ id: second + 1 }]);
    t.is(await db('notes').where('n', '>', 1).update({ n: 9 }), 2, 'changed rows');
    t.is(await db('notes').where({ slug: 'zz' }).update({ n: 0 }), 0);
    t.is(await db('notes').where({ n: 9 }).increment('n', 1), 2);
    t.deepEqual(await db('notes').orderBy('id').pluck('n'), [1, 10, 10]);
    t.is(await db('notes').where({ slug: 'c' }).delete(), 1);
    t.deepEqual(await db('notes').where({ slug: 'a' }).first('n'), { n: 1 });
    t.deepEqual(await db('notes').where({ slug: 'missing' }).first('n'), undefined);
  });
});

test('a constraint error is reported and the same statement runs again afterwards', async (t) => {
  await withSqlite(async (db) => {
    await db('notes').insert({ slug: 'a', n: 1 });
    await t.throwsAsync(db('notes').insert({ slug: 'a', n: 2 }), { message: /UNIQUE/ });
    await db('notes').insert({ slug: 'b', n: 2 });
    t.is((await db('notes').count<{ c: number }[]>({ c: '*' }))[0].c, 2);
    await t.throwsAsync(db.raw('select * from no_such_table'), { message: /no such table/ });
  });
});

test('a table dropped and made again with other columns is read as it now is', async (t) => {
  await withSqlite(async (db) => {
    await db('notes').insert({ slug: 'a', n: 1 });
    t.deepEqual(await db('notes').select('*'), [{ id: 1, slug: 'a', n: 1 }]);
    await db.schema.dropTable('notes');
    await t.throwsAsync(db('notes').select('*'));
    await db.schema.createTable('notes', (tb) => {
      tb.string('slug');
      tb.string('extra');
    });
    await db('notes').insert({ slug: 'x', extra: 'y' });
    t.deepEqual(await db('notes').select('*'), [{ slug: 'x', extra: 'y' }]);
  });
});

test('a text run again is compiled once; at most 256 are kept; the database closes with them', async (t) => {
  await withSqlite(async (db, file) => {
    await db('notes').where({ n: 1 }).select('id');
    const before = await kept(db);
    for (let i = 0; i < 5; i++) await db('notes').where({ n: i }).select('id');
    t.is(await kept(db), before, 'the same text with other bindings: no new statement');
    for (let i = 0; i < 300; i++) await db.raw(`select ${i} as v`);
    t.is(await kept(db), 256);
    t.deepEqual(await db.raw('select 7 as v'), [{ v: 7 }]);
    t.deepEqual(await db.raw('select 299 as v'), [{ v: 299 }], 'a kept statement answers again');
    await db.destroy();
    // Closed for real: the file can be opened, written and closed by another client at once.
    const again = createDatabase(`sqlite:${file}`);
    try {
      await again('notes').insert({ slug: 'after', n: 1 });
      t.is((await again('notes').where({ slug: 'after' })).length, 1);
    } finally {
      await again.destroy();
    }
  });
});
