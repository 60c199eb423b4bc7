/**
 * Reads kept prepared (core/db/statements.ts, issue 18), on both databases: the rows knex
 * would answer, what is committed and never another caller's open transaction, inside a
 * given transaction its own rows, a failing statement prepared again once it can run, knex's
 * query events, and a database that closes with its statements prepared. A read written with
 * knex's builder (preparedBuilder) is built once per dialect, then runs prepared. A list of ids
 * bound as one value (perDialect, idList) keeps one text. A read built per call (readBuilt) answers
 * knex's rows for texts beyond those a connection keeps compiled, even while they are in use. A
 * text kept by key (KeptBuilds) takes each call's value of a marker (`vary`).
 * Every SQLite connection of the process keeps the larger page cache (SQLITE_CACHE_KIB).
 */
import test from 'ava';
import { createDatabase, SQLITE_CACHE_KIB, type Db } from '../../core/db/database';
import { idList, KeptBuilds, perDialect, preparedBuilder, preparedRead, readBuilt } from '../../core/db/statements';
import { eachDatabase, freshDatabase, type TestDatabase } from '../helpers/databases';

async function withDb(db: TestDatabase, fn: (knex: Db) => Promise<void>): Promise<void> {
  const knex = createDatabase(db.url);
  try {
    await knex.schema.createTable('notes', (t) => {
      t.increments('id');
      t.integer('owner').notNullable();
      t.string('body').notNullable();
    });
    await knex('notes').insert([
      { owner: 1, body: 'one' },
      { owner: 1, body: 'two' },
      { owner: 2, body: 'three' },
    ]);
    await fn(knex);
  } finally {
    await knex.destroy();
  }
}

const OWNED = preparedRead<{ id: number; body: string }>('select id, body from notes where owner = ? order by id');
const COUNT = preparedRead<{ n: number | string }>({
  sqlite: 'select count(*) as n from notes where owner = ?',
  postgres: 'select count(*)::int as n from notes where owner = ?',
});

eachDatabase('a prepared read answers the rows knex answers, again and again', async (t, db) => {
  await withDb(db, async (knex) => {
    const expected = await knex('notes').where({ owner: 1 }).orderBy('id').select('id', 'body');
    for (let i = 0; i < 3; i++) t.deepEqual(await OWNED.all(knex, [1]), expected);
    t.deepEqual(await OWNED.all(knex, [3]), []);
    t.is((await OWNED.first(knex, [2]))?.body, 'three');
    t.is(Number((await COUNT.first(knex, [1]))?.n), 2, 'one text per dialect');
  });
});

eachDatabase('a prepared read sees what is committed, not a transaction still open elsewhere, and its own transaction rows', async (t, db) => {
  await withDb(db, async (knex) => {
    await knex('notes').insert({ owner: 1, body: 'four' });
    t.is(Number((await COUNT.first(knex, [1]))?.n), 3, 'a write is seen by the next read');
    await knex.transaction(async (trx) => {
      await trx('notes').insert({ owner: 1, body: 'uncommitted' });
      t.is(Number((await COUNT.first(trx, [1]))?.n), 4, 'inside the transaction: its own row');
      t.is(Number((await COUNT.first(knex, [1]))?.n), 3, 'outside it: only what is committed');
      t.false((await OWNED.all(knex, [1])).some((r) => r.body === 'uncommitted'));
    });
    t.is(Number((await COUNT.first(knex, [1]))?.n), 4, 'committed: seen');
    await knex
      .transaction(async (trx) => {
        await trx('notes').where({ owner: 1 }).delete();
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    t.is(Number((await COUNT.first(knex, [1]))?.n), 4, 'a rolled-back delete never shows');
  });
});

eachDatabase('a prepared read that failed is prepared again once it can run', async (t, db) => {
  await withDb(db, async (knex) => {
    const LATER = preparedRead<{ n: number | string }>('select count(*) as n from later where owner = ?');
    await t.throwsAsync(LATER.all(knex, [1]));
    await knex.schema.createTable('later', (tb) => {
      tb.integer('owner');
    });
    await knex('later').insert({ owner: 1 });
    t.is(Number((await LATER.first(knex, [1]))?.n), 1);
    await knex.schema.dropTable('later');
    await t.throwsAsync(LATER.all(knex, [1]), undefined, 'a dropped table fails as it would through knex');
  });
});

eachDatabase('listeners of knex query events see prepared reads', async (t, db) => {
  await withDb(db, async (knex) => {
    const seen: string[] = [];
    const answered: number[] = [];
    const onQuery = (q: { sql: string }) => void seen.push(q.sql);
    const onResponse = (rows: unknown[]) => void answered.push(rows.length);
    knex.on('query', onQuery).on('query-response', onResponse);
    await OWNED.all(knex, [1]);
    knex.off('query', onQuery).off('query-response', onResponse);
    t.deepEqual(seen, ['select id, body from notes where owner = ? order by id']);
    t.deepEqual(answered, [2]);
  });
});

eachDatabase('a database closes with its reads prepared, and a new one reads the same file', async (t, db) => {
  await withDb(db, async (knex) => {
    t.is((await OWNED.all(knex, [1])).length, 2);
  });
  const again = createDatabase(db.url);
  try {
    t.is((await OWNED.all(again, [1])).length, 2);
    t.is((await OWNED.all(again, [2])).length, 1);
  } finally {
    await again.destroy();
  }
});

eachDatabase('a read written with the query builder is built once, then answers as knex does for each value', async (t, db) => {
  await withDb(db, async (knex) => {
    let builds = 0;
    const NOT_MINE = preparedBuilder<{ id: number; body: string }>((k, owner) => {
      builds++;
      return k('notes').whereNot('owner', owner).whereIn('body', ['one', 'three', 'four']).orderBy('id').select('id', 'body');
    });
    const queries: { method?: string; bindings?: unknown[] }[] = [];
    knex.on('query', (q: { method?: string; bindings?: unknown[] }) => queries.push(q));
    for (const owner of [1, 2, 1, 3]) {
      const expected = await knex('notes').whereNot('owner', owner).whereIn('body', ['one', 'three', 'four']).orderBy('id').select('id', 'body');
      t.deepEqual(
        (await NOT_MINE.all(knex, owner)).map((r) => ({ id: Number(r.id), body: r.body })),
        expected.map((r: { id: number; body: string }) => ({ id: Number(r.id), body: r.body })),
        `owner ${owner}`,
      );
    }
    t.is(builds, 1, 'built once');
    t.deepEqual(
      queries.filter((q) => q.method === 'raw').map((q) => q.bindings),
      [
        [1, 'one', 'three', 'four'],
        [2, 'one', 'three', 'four'],
        [1, 'one', 'three', 'four'],
        [3, 'one', 'three', 'four'],
      ],
      'the marker takes each value; the other bindings are kept',
    );
    t.is((await NOT_MINE.first(knex, 2))?.body, 'one');
  });
});

eachDatabase("a kept build (KeptBuilds) is built once per key; a marker binding takes each call's value", async (t, db) => {
  await withDb(db, async (knex) => {
    const kept = new KeptBuilds(4);
    const AFTER = -9_001;
    let builds = 0;
    const build = () => {
      builds++;
      return knex('notes').where('id', '>', AFTER).where('owner', 1).orderBy('id').select('id');
    };
    const ids = async (key: string | null, after: number): Promise<number[]> =>
      (await kept.read<{ id: number | string }>(knex, key, build, new Map([[AFTER, after]]))).map((r) => Number(r.id));
    t.deepEqual(await ids('owner 1', 0), [1, 2]);
    t.deepEqual(await ids('owner 1', 1), [2], "the kept text, the marker bound to this call's value");
    t.deepEqual(await ids('owner 1', 2), []);
    t.is(builds, 1, 'built once for the key');
    t.deepEqual(await ids(null, 1), [2], 'no key: built and bound each time');
    t.is(builds, 2);
  });
});

const AMONG = preparedRead<{ id: number; body: string }>(perDialect((ids) => `select id, body from notes where ${ids('id')} order by id`));

eachDatabase('a list of ids is one binding (perDialect, idList): one statement text for any number of ids', async (t, db) => {
  await withDb(db, async (knex) => {
    const texts = new Set<string>();
    const listen = (q: { sql: string }): void => void texts.add(q.sql);
    knex.on('query', listen);
    const ids = (rows: { id: number | string }[]): number[] => rows.map((r) => Number(r.id));
    t.deepEqual(ids(await AMONG.all(knex, [idList([2])])), [2]);
    t.deepEqual(ids(await AMONG.all(knex, [idList([3, 1, 99])])), [1, 3]);
    t.deepEqual(await AMONG.all(knex, [idList([])]), []);
    knex.off('query', listen);
    t.is(texts.size, 1, [...texts].join('\n'));
    // Inside a transaction (through knex's raw), the same binding works.
    await knex.transaction(async (trx) => t.deepEqual(ids(await AMONG.all(trx, [idList([1, 2])])), [1, 2]));
  });
});

eachDatabase('a read built per call answers the rows knex answers, for more texts than are kept and while in use', async (t, db) => {
  await withDb(db, async (knex) => {
    const plain = (rows: { id: number | string; body: string }[]) => rows.map((r) => ({ id: Number(r.id), body: r.body }));
    // One text per length of the id list: 100 texts, more than a reading connection keeps (64),
    // each run four times at once so that texts are evicted while other calls still use them.
    const among = (n: number) =>
      knex('notes')
        .whereIn('id', [...Array.from({ length: n }, (_, i) => 1000 + i), 1, 3])
        .orderBy('id')
        .select('id', 'body');
    for (let round = 0; round < 2; round++)
      for (let n = 1; n <= 100; n += 1) {
        const answers = await Promise.all([1, 2, 3, 4].map(() => readBuilt<{ id: number; body: string }>(knex, among(n))));
        for (const rows of answers)
          t.deepEqual(
            plain(rows),
            [
              { id: 1, body: 'one' },
              { id: 3, body: 'three' },
            ],
            `${n} ids`,
          );
      }
    const seen: string[] = [];
    const onQuery = (q: { sql: string }) => void seen.push(q.sql);
    knex.on('query', onQuery);
    const expected = plain(await knex('notes').where('owner', 1).orderBy('id').select('id', 'body'));
    t.deepEqual(plain(await readBuilt(knex, knex('notes').where('owner', 1).orderBy('id').select('id', 'body'))), expected);
    knex.off('query', onQuery);
    t.is(seen.length, 2, 'knex query events see it');
    await knex.transaction(async (trx) => {
      await trx('notes').insert({ owner: 1, body: 'uncommitted' });
      t.is((await readBuilt(trx, trx('notes').where('owner', 1).select('id'))).length, 3, 'inside the transaction: its own row');
      t.is((await readBuilt(knex, knex('notes').where('owner', 1).select('id'))).length, 2, 'outside it: only what is committed');
    });
    await t.throwsAsync(readBuilt(knex, knex('missing').select('id')), undefined, 'a failing text fails as through knex');
    await knex.schema.createTable('missing', (tb) => tb.integer('id'));
    t.deepEqual(await readBuilt(knex, knex('missing').select('id')), [], 'and runs once it can');
  });
});

test('every SQLite connection of the process, the pool and the reading one, keeps the larger page cache', async (t) => {
  const db = await freshDatabase('sqlite');
  const knex = createDatabase(db.url);
  try {
    await knex.schema.createTable('notes', (tb) => tb.increments('id'));
    const pool = (await knex.raw('PRAGMA cache_size')) as { cache_size: number }[];
    t.is(pool[0].cache_size, -SQLITE_CACHE_KIB, 'the pool connection');
    const reader = await preparedRead<{ cache_size: number }>('PRAGMA cache_size').first(knex, []);
    t.is(reader?.cache_size, -SQLITE_CACHE_KIB, 'the reading connection of prepared reads');
    t.true(SQLITE_CACHE_KIB > 2000, "larger than SQLite's default 2 MB");
  } finally {
    await knex.destroy();
    await db.drop();
  }
});
