/** Backup tests: a seeded install with files, table dumps to compare, and archives to tamper with. */
import fs from 'node:fs';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import type { Knex } from 'knex';
import * as tar from 'tar';
import { LocalStorage } from '../../core/storage';
import type { DbKind } from '../helpers/databases';
import { tempDir } from './helpers';
import { installed, type Installed } from './setup';

/** Two uploaded files (one of every byte value) with their types. */
export const FILES: Record<string, { data: Buffer; type: string }> = {
  'avatars/1/face-64.png': { data: Buffer.from(Array.from({ length: 256 }, (_, i) => i)), type: 'image/png' },
  'files/2/report.pdf': { data: Buffer.from('%PDF-1.4 not really a report\n'), type: 'application/pdf' },
};

export const uploads = (i: Installed): LocalStorage => new LocalStorage(path.join(i.cwd, 'data', 'uploads'));

/** An install with the demo plugin enabled, the demo network seeded, and FILES stored. */
export async function seededWithFiles(t: ExecutionContext, kind: DbKind): Promise<Installed> {
  const i = await installed(t, kind);
  for (const args of [
    ['plugin', 'enable', 'demo'],
    ['seed', '--demo'],
  ]) {
    const r = await i.ruche(...args);
    if (r.code !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  }
  for (const [key, f] of Object.entries(FILES)) await uploads(i).put(key, f.data, f.type);
  return i;
}

/** An install's env pointing a command at a database of its own (for targets that were never installed). */
export const targetEnv = (i: Installed): Record<string, string> => ({
  ...i.env,
  RUCHE_SECRET: 'r'.repeat(40),
  ...(i.databaseUrl ? { RUCHE_DATABASE_URL: i.databaseUrl } : {}),
});

/** Data tables of a database (migration bookkeeping, full-text and derived tables left out), sorted. */
export async function tableNames(db: Knex): Promise<string[]> {
  const names =
    db.client.config.client === 'pg'
      ? (
          (await db.raw(
            "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
          )) as { rows: { name: string }[] }
        ).rows
      : ((await db.raw("select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'")) as {
          name: string;
          sql: string | null;
        }[]);
  // SQLite's full-text tables and their shadows, and derived tables, are rebuilt, not backed up.
  const virtual = (names as { name: string; sql?: string | null }[]).filter((r) => /^create\s+virtual/i.test(r.sql ?? '')).map((r) => r.name);
  return names
    .map((r) => r.name)
    .filter((n) => !n.startsWith('ruche_migration') && !n.startsWith('derived_') && !virtual.some((v) => n === v || n.startsWith(`${v}_`)))
    .sort();
}

export async function tableCounts(db: Knex): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of await tableNames(db)) out[name] = Number(((await db(name).count({ n: '*' })) as { n: unknown }[])[0].n);
  return out;
}

/** Every row of every data table of a SQLite database, in a stable order. */
export async function sqliteDump(db: Knex): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of await tableNames(db)) out[name] = await db.raw(`select * from "${name}" order by 1, 2`);
  return out;
}

/** Unpacks an archive, lets `edit` change the folder, and packs it again; answers the new file. */
export async function tampered(t: ExecutionContext, archive: string, edit: (dir: string) => void): Promise<string> {
  const dir = tempDir(t, 'ruche-tamper-');
  await tar.x({ file: archive, cwd: dir });
  edit(dir);
  const out = path.join(tempDir(t, 'ruche-tampered-'), 'tampered.tar.gz');
  await tar.c({ gzip: true, file: out, cwd: dir }, fs.readdirSync(dir));
  return out;
}

export const editJson = (file: string, change: (v: Record<string, unknown>) => void): void => {
  const v = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(v);
  fs.writeFileSync(file, JSON.stringify(v));
};
