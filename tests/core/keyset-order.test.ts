// A list's order declared once (core/db/keyset.ts `keysetOrder`, `readPage`, `pageRequest`): the
// pages read forwards and back cover every row once, in order, keyed as the order says; a
// numbered page skips its rows; a page request keeps its size and page within bounds; and an
// order whose cursor's parts do not match its columns is refused when it is declared.
import test from 'ava';
import { keysetCursor, keysetOrder, pageRequest, readPage, type KeysetCursor } from '../../core';
import { eachRuntime } from '../helpers/each-app';

interface Probe {
  id: number;
  score: number;
  name: string;
}

const BY_SCORE = keysetOrder(['int', 'text', 'int'], [{ sql: 'score', desc: true }, { sql: 'name' }, { sql: 'id', desc: true }], (r: Probe) => [
  r.score,
  r.name,
  r.id,
]);

eachRuntime('readPage walks a declared order forwards and back, each row once, and skips a numbered page', async (t, rt) => {
  const db = rt.db;
  await db.schema.createTable('probe_rows', (tb) => {
    tb.increments('id');
    tb.integer('score').notNullable();
    tb.string('name', 20).notNullable();
  });
  const rows = Array.from({ length: 11 }, (_v, i) => ({ score: i % 3, name: `n${i % 4}` }));
  await db('probe_rows').insert(rows);
  const all = ((await db('probe_rows').select('*')) as Probe[])
    .map((r) => ({ id: Number(r.id), score: Number(r.score), name: r.name }))
    .sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || b.id - a.id);
  const read = (cursor: KeysetCursor) =>
    readPage(db('probe_rows').select('*'), BY_SCORE, cursor, 4, async (q) =>
      ((await q) as Probe[]).map((r) => ({ id: Number(r.id), score: Number(r.score), name: r.name })),
    );

  const forwards: number[][] = [];
  let page = await read({});
  t.is(page.prev, null, 'the first page has nothing before it');
  for (;;) {
    forwards.push(page.items.map((r) => r.id));
    if (!page.next) break;
    t.deepEqual(page.next, BY_SCORE.keyOf(page.items[page.items.length - 1]), 'the next key is the last row’s, as the order keys it');
    page = await read({ after: page.next });
  }
  t.deepEqual(
    forwards.flat(),
    all.map((r) => r.id),
    'forwards: every row once, in the order',
  );
  t.deepEqual(
    forwards.map((p) => p.length),
    [4, 4, 3],
  );

  const backwards: number[][] = [];
  page = await read({ before: BY_SCORE.keyOf(all[all.length - 1]) });
  for (;;) {
    backwards.unshift(page.items.map((r) => r.id));
    if (!page.prev) break;
    page = await read({ before: page.prev });
  }
  t.deepEqual(
    backwards.flat(),
    all.slice(0, -1).map((r) => r.id),
    'backwards from the last row: every row before it once',
  );

  const numbered = pageRequest({ page: 2, limit: 4 }, 20);
  t.deepEqual(
    (await read(numbered.cursor)).items.map((r) => r.id),
    all.slice(4, 8).map((r) => r.id),
    'page 2 of 4 rows',
  );
});

test('pageRequest keeps the size and the page within bounds; a key wins over a page', (t) => {
  t.deepEqual(pageRequest({}, 20), { cursor: {}, limit: 20 });
  t.deepEqual(pageRequest({ limit: 0, page: 0 }, 20), { cursor: {}, limit: 1 });
  t.deepEqual(pageRequest({ limit: 500, page: 3 }, 20), { cursor: { offset: 200 }, limit: 100 });
  t.deepEqual(pageRequest({ page: 50_000 }, 10), { cursor: { offset: 99_990 }, limit: 10 });
  t.deepEqual(pageRequest({ page: 3, after: [5, 1] }, 10), { cursor: { after: [5, 1] }, limit: 10 });
  t.deepEqual(keysetCursor({ before: ['a', 2] }, 40), { before: ['a', 2] });
  t.deepEqual(keysetCursor({}), {});
});

test('an order whose cursor parts do not match its columns is refused where it is declared', (t) => {
  t.throws(() => keysetOrder(['int'], [{ sql: 'a' }, { sql: 'id' }], (r: Probe) => [r.id]), { message: /1 parts for an order of 2 columns/ });
});
