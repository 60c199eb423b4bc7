import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { databaseKinds } from '../helpers/databases';
import { FILES, seededWithFiles, sqliteDump, tableCounts, targetEnv, uploads } from './backup-helpers';
import { run, tempDir } from './helpers';
import { installed } from './setup';

const BACKUP_LINE = /^Backup written to (.+\.tar\.gz) \(\d+\.\d MB\): \d+ tables, \d+ rows, (\d+) files\.$/m;

for (const kind of databaseKinds()) {
  test(`a backup taken during a write load restores to the count of every table it saw [${kind}]`, async (t) => {
    const source = await installed(t, kind);
    t.is((await source.ruche('plugin', 'enable', 'demo')).code, 0);
    const db = source.db();
    // Each write adds two rows in one transaction: a consistent snapshot holds an even number.
    let writing = true;
    let written = 0;
    const load = (async () => {
      while (writing) {
        await db.transaction(async (trx) => {
          await trx('demo_items').insert({ label: `a${written}` });
          await trx('demo_items').insert({ label: `b${written}` });
        });
        written++;
      }
    })();
    await waitFor(() => written >= 20);
    const before = written;
    const out = path.join(tempDir(t), 'during-load.tar.gz');
    const backup = await source.ruche('backup', '--output', out);
    const during = written - before;
    writing = false;
    await load;
    t.is(backup.code, 0, backup.stderr);
    t.regex(backup.stdout, BACKUP_LINE);
    t.true(during > 0, 'rows were written while the backup ran');
    const manifest = JSON.parse(await readEntry(out, 'manifest.json')) as { tables: { name: string; rows: number }[] };

    const target = await installed(t, kind, { install: false });
    const restored = await run(['restore', out], target.cwd, targetEnv(target));
    t.is(restored.code, 0, restored.stderr);
    t.regex(restored.stdout, /^Restored .*: \d+ tables, \d+ rows, 0 files\.$/m);
    const counts = await tableCounts(target.db());
    t.deepEqual(counts, Object.fromEntries(manifest.tables.map((x) => [x.name, x.rows]).sort()));
    t.is(counts.demo_items % 2, 0, 'no transaction was cut in half');
    t.true(counts.demo_items >= 40);
    t.true(counts.networks >= 1);
    // The restored site works: a new row gets a fresh id (PostgreSQL sequences moved past the restored ids).
    const [id] = await target.db()('demo_items').insert({ label: 'after' }, ['id']);
    t.true(Number((id as { id: number }).id ?? id) > counts.demo_items, JSON.stringify({ id, n: counts.demo_items }));
    t.is((await run(['doctor'], target.cwd, targetEnv(target))).stdout.match(/^FAIL .*migrations/m), null);
  });
}

if (databaseKinds().includes('postgres')) {
  test('SQLite → PostgreSQL → SQLite keeps every row and every file', async (t) => {
    const source = await seededWithFiles(t, 'sqlite');
    const first = path.join(tempDir(t), 'from-sqlite.tar.gz');
    const b1 = await source.ruche('backup', '-o', first);
    t.is(b1.code, 0, b1.stderr);
    t.regex(b1.stdout, BACKUP_LINE);
    t.is(BACKUP_LINE.exec(b1.stdout)![2], String(Object.keys(FILES).length));

    const pg = await installed(t, 'postgres', { install: false });
    const r1 = await run(['restore', first], pg.cwd, targetEnv(pg));
    t.is(r1.code, 0, r1.stderr);
    t.deepEqual(await tableCounts(pg.db()), await tableCounts(source.db()));

    const second = path.join(tempDir(t), 'from-postgres.tar.gz');
    const b2 = await run(['backup', '-o', second], pg.cwd, targetEnv(pg));
    t.is(b2.code, 0, b2.stderr);

    const back = await installed(t, 'sqlite', { install: false });
    const r2 = await run(['restore', second], back.cwd, targetEnv(back));
    t.is(r2.code, 0, r2.stderr);
    const want = await sqliteDump(source.db());
    const got = await sqliteDump(back.db());
    t.deepEqual(Object.keys(got), Object.keys(want));
    for (const table of Object.keys(want)) t.deepEqual(got[table], want[table], table);
    t.true(want.users.length > 10, 'the demo network was there to compare');
    // The trigram indexes of the people search (core/db/substring-index.ts) hold the restored rows.
    const part = String((want.search_names[0] as { folded: string }).folded).slice(0, 4);
    const count = async (table: string): Promise<number> =>
      Number(((await back.db().raw(`select count(*) as n from ${table} where folded like ?`, [`%${part}%`])) as { n: number }[])[0].n);
    t.true((await count('search_names')) > 0);
    t.is(await count('search_names_folded_trigrams'), await count('search_names'), `names holding "${part}"`);
    for (const [key, f] of Object.entries(FILES)) {
      const stored = await uploads(back).get(key);
      t.deepEqual(stored?.data, f.data, key);
      t.is(stored?.contentType, f.type, key);
    }
  });
}

async function waitFor(ready: () => boolean): Promise<void> {
  const start = Date.now();
  while (!ready()) {
    if (Date.now() - start > 60_000) throw new Error('the write load did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function readEntry(archive: string, entry: string): Promise<string> {
  const tar = await import('tar');
  let text = '';
  await tar.t({ file: archive, onReadEntry: (e) => e.on('data', (d: Buffer) => (text += e.path === entry ? d.toString() : '')) });
  return text;
}

test('backup refuses a database without an installation, with one line', async (t) => {
  const cwd = tempDir(t);
  const r = await run(['backup'], cwd, { RUCHE_SECRET: 's'.repeat(40) });
  t.not(r.code, 0);
  t.is(r.stderr.trim(), 'ruche: there is nothing to back up: the database has no Ruche installation');
  t.false(fs.existsSync(path.join(cwd, 'data', 'backups')));
});
