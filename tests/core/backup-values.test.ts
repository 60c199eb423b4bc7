// Values survive a backup taken on one database and restored on the other, both ways:
// integers past 2^53, booleans, bytes, null, text of every kind, a row pointing at a later row
// of its own table; and the encoding itself.
import path from 'node:path';
import test from 'ava';
import type { Knex } from 'knex';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createBackup, restoreBackup } from '../../core/backup';
import { allTableNames } from '../../core/backup/schema';
import { decodeValue, encodeValue } from '../../core/backup/values';
import { createDatabase } from '../../core/db/database';
import { Migrator, type MigrationOwner } from '../../core/db/migrator';
import { coreMigrationOwner } from '../../core/plugin';
import { LocalStorage } from '../../core/storage';
import { databaseKinds, freshDatabase, type DbKind, type FreshDatabase } from '../helpers/databases';
import { REPO_ROOT, testConfig } from '../helpers/app';
import { editJson, tampered } from '../cli/backup-helpers';

const typed: MigrationOwner = {
  id: 'typed',
  migrations: [
    {
      name: '001_typed_values',
      up: (db) =>
        db.schema.createTable('typed_values', (t) => {
          t.bigIncrements('id');
          t.bigInteger('parent_id').unsigned().nullable().references('id').inTable('typed_values');
          t.bigInteger('big');
          t.boolean('flag');
          t.binary('data');
          t.text('note');
        }),
      down: (db) => db.schema.dropTable('typed_values'),
    },
  ],
};
const owners = [coreMigrationOwner, typed];

const BIG = '9007199254740993'; // 2^53 + 1: a double would read 9007199254740992
const ROWS = [
  { id: 1, parent_id: 3, big: BIG, flag: true, data: Buffer.from(Array.from({ length: 256 }, (_, i) => i)), note: 'line\nbreak "quoted" \\ ✓ 🐝' },
  { id: 2, parent_id: null, big: '-42', flag: false, data: Buffer.alloc(0), note: '' },
  { id: 3, parent_id: null, big: null, flag: null, data: null, note: null },
];

/** The rows as text, the same on both databases. */
async function read(db: Knex): Promise<unknown[]> {
  const rows = (await db('typed_values')
    .orderBy('id')
    .select(
      db.raw('cast(id as text) as id'),
      db.raw('cast(parent_id as text) as parent_id'),
      db.raw('cast(big as text) as big'),
      'flag',
      'data',
      'note',
    )) as Record<string, unknown>[];
  return rows.map((r) => ({
    ...r,
    flag: r.flag === null ? null : Boolean(r.flag),
    data: r.data === null ? null : Buffer.from(r.data as Buffer).toString('hex'),
  }));
}

async function site(
  t: import('ava').ExecutionContext,
  kind: DbKind,
): Promise<{ fresh: FreshDatabase; db: Knex; source: Parameters<typeof createBackup>[0] }> {
  const fresh = await freshDatabase(kind);
  t.teardown(() => fresh.drop());
  const db = createDatabase(fresh.url);
  t.teardown(() => db.destroy());
  const config = testConfig(fresh);
  return { fresh, db, source: { db, config, appRoot: REPO_ROOT, storage: new LocalStorage(path.join(fresh.dataDir, 'uploads')), owners } };
}

const kinds = databaseKinds();
for (const [from, to] of kinds.flatMap((a) => kinds.filter((b) => b !== a || kinds.length === 1).map((b) => [a, b] as const))) {
  test(`typed values and forward references survive ${from} → ${to}`, async (t) => {
    const a = await site(t, from);
    const [core, ...plugins] = owners;
    await new Migrator(a.db, core).latest(plugins);
    await a.db.transaction(async (trx) => {
      if (from === 'sqlite') await trx.raw('PRAGMA defer_foreign_keys = ON');
      else await trx.raw('alter table typed_values alter constraint typed_values_parent_id_foreign deferrable initially deferred');
      await trx('typed_values').insert(ROWS);
      // More rows than one page of the export (2,000): pages follow the ids as numbers, not as text.
      const more = Array.from({ length: 2100 }, (_, i) => ({
        id: i + 4,
        parent_id: (i % 3) + 1,
        big: String(i * 1_000_003),
        flag: i % 2 === 0,
        note: `n${i}`,
      }));
      for (let i = 0; i < more.length; i += 300) await trx('typed_values').insert(more.slice(i, i + 300));
    });
    const want = await read(a.db);
    t.is((want[0] as { big: string }).big, BIG);
    const archive = path.join(a.fresh.dataDir, 'typed.tar.gz');
    await createBackup(a.source, archive);

    const b = await site(t, to);
    await restoreBackup({ ...b.source, workDir: b.fresh.dataDir }, archive);
    t.deepEqual(await read(b.db), want);
    // Sequences moved past the restored ids.
    const [next] = await b.db('typed_values').insert({ note: 'new' }, ['id']);
    t.is(Number((next as { id: number }).id ?? next), 2104);
  });
}

for (const kind of kinds) {
  test(`a restore failing while loading rows leaves the target empty and names the table [${kind}]`, async (t) => {
    const a = await site(t, 'sqlite');
    const [core, ...plugins] = owners;
    await new Migrator(a.db, core).latest(plugins);
    await a.db('typed_values').insert(ROWS.slice(1));
    const archive = path.join(a.fresh.dataDir, 'typed.tar.gz');
    await createBackup(a.source, archive);
    // A row given twice, with checksums and counts that agree: only the database can tell.
    const twice = await tampered(t, archive, (dir) => {
      const entry = 'tables/typed_values.jsonl';
      const file = path.join(dir, entry);
      const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
      fs.writeFileSync(file, [...lines, lines[1]].join('\n') + '\n');
      const bytes = fs.readFileSync(file);
      editJson(path.join(dir, 'manifest.json'), (m) => {
        (m.checksums as Record<string, unknown>)[entry] = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
        (m.tables as { name: string; rows: number }[]).find((x) => x.name === 'typed_values')!.rows = lines.length;
      });
    });
    const b = await site(t, kind);
    await t.throwsAsync(restoreBackup({ ...b.source, workDir: b.fresh.dataDir }, twice), {
      message: /^cannot load the rows of typed_values: .*(unique|duplicate)/i,
    });
    t.deepEqual(await allTableNames(b.db), []);
  });
}

test('the encoding of values in an archive', (t) => {
  const int = { name: 'n', kind: 'int' } as const;
  const bool = { name: 'b', kind: 'bool' } as const;
  const other = { name: 'o', kind: 'other' } as const;
  t.is(encodeValue(int, '12'), 12);
  t.deepEqual(encodeValue(int, BIG), { $bigint: BIG });
  t.is(decodeValue({ $bigint: BIG }), BIG);
  t.is(encodeValue(bool, 1), true);
  t.is(encodeValue(bool, 0), false);
  t.is(encodeValue(bool, true), true);
  t.is(encodeValue(bool, null), null);
  t.deepEqual(encodeValue(other, Buffer.from([0, 255])), { $base64: 'AP8=' });
  t.deepEqual(decodeValue({ $base64: 'AP8=' }), Buffer.from([0, 255]));
  t.deepEqual(encodeValue(other, new Date(0)), { $date: '1970-01-01T00:00:00.000Z' });
  t.deepEqual(decodeValue({ $date: '1970-01-01T00:00:00.000Z' }), new Date(0));
  t.is(encodeValue(other, 'text'), 'text');
  t.throws(() => decodeValue({ $what: 1 } as never), { message: /unknown value/ });
});
