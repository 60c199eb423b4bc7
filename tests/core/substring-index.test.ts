// "Contains" matching read from trigrams (core/db/substring-index.ts): the rows found are exactly
// those a `like '%word%'` over the column finds, for words the index answers (three characters
// or more) and those it leaves to the column (shorter, or holding `%`, `_`); rows written after
// the index was built (inserted, changed, deleted) are found as they are now; and the index is
// there to be read (SQLite plans the trigram table, PostgreSQL holds the GIN index).
import { containsWord, createSubstringIndex, dropSubstringIndex, type SubstringIndex } from '../../core';
import { eachRuntime } from '../helpers/each-app';

const index: SubstringIndex = { table: 'probe_words', column: 'folded', key: 'id' };

eachRuntime('containsWord finds what a like over the column finds, read from the trigrams', async (t, rt) => {
  const db = rt.db;
  await db.schema.createTable(index.table, (tb) => {
    tb.increments('id');
    tb.text('folded').notNullable();
  });
  await db(index.table).insert([{ folded: 'supply chain | paris' }, { folded: 'audit 50% off_site' }, { folded: 'marie-helene dupont' }]);
  await createSubstringIndex(db, index);
  await db(index.table).insert({ folded: 'chief supplier | lyon' });
  await db(index.table).where({ folded: 'marie-helene dupont' }).update({ folded: 'marie dupuis' });
  await db(index.table).where({ folded: 'supply chain | paris' }).delete();

  const rows = (await db(index.table).orderBy('id').pluck('folded')) as string[];
  const found = (word: string) =>
    db(`${index.table} as p`)
      .modify(containsWord(db, index, 'p', word))
      .orderBy('p.id');
  for (const word of ['sup', 'supplier', 'upplie', 'paris', 'chain', 'dupont', 'dupuis', 'lyon', '50%', 'f_s', '0%', 'ie', 'u', 'nowhere'])
    t.deepEqual(
      await found(word).pluck('p.folded'),
      rows.filter((r) => r.includes(word)),
      word,
    );

  if (rt.dialect === 'sqlite') {
    const { sql, bindings } = found('supplier').select('p.id').toSQL();
    const plan = ((await db.raw(`explain query plan ${sql}`, bindings)) as { detail: string }[]).map((r) => r.detail).join('\n');
    t.regex(plan, /probe_words_folded_trigrams VIRTUAL TABLE INDEX 0:L/, plan);
  } else {
    const indexes = (await db.raw("select indexdef from pg_indexes where tablename = 'probe_words'")) as { rows: { indexdef: string }[] };
    t.true(
      indexes.rows.some((r) => /gin \(folded gin_trgm_ops\)/.test(r.indexdef)),
      'pg_trgm is created by the app role and indexes the column',
    );
  }

  // Dropped after searches (SQLite keeps their statements compiled, which would hold the trigram table).
  await dropSubstringIndex(db, index);
  t.true(await db.schema.hasTable(index.table));
  t.false(rt.dialect === 'sqlite' && (await db.schema.hasTable('probe_words_folded_trigrams')), 'the trigram table is gone');
});
