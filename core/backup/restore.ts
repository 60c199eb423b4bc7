/**
 * Restoring a backup: the archive is checked whole (manifest, checksums, version, migrations
 * this install knows) before anything is touched; then the archive's schema is rebuilt by
 * running exactly the migrations it had applied, the rows are loaded in one transaction with
 * the row triggers held back (the archive already holds what they compute), PostgreSQL's
 * sequences are moved past the restored ids, and the files are put back. The caller then
 * runs the migrations this version adds. Either database reads what either wrote.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import type { Knex } from 'knex';
import { Migrator, type MigrationOwner } from '../db/migrator';
import type { Storage } from '../storage';
import { stagingDir, unpack, verifyChecksums } from './archive';
import type { Progress } from './create';
import { BackupRefused, checkVersion, ownersFor, readManifest, rucheVersion, type Manifest } from './manifest';
import { allTableNames, dataTables, quote, type TableInfo } from './schema';
import { decodeValue, type ArchiveValue } from './values';

export interface RestoreTarget {
  db: Knex;
  appRoot: string;
  storage: Storage;
  /** Every migration owner this install knows, core first. */
  owners: MigrationOwner[];
  /** Where to unpack the archive while restoring (the data folder: same disk, room enough). */
  workDir: string;
}

export interface RestoreOptions {
  /** Restore over an installation that is not empty, after `keepCopy` saved it. */
  force?: boolean;
  /** Saves the current installation before it is replaced; answers where. */
  keepCopy?: () => Promise<string>;
  onProgress?: (p: Progress) => void;
}

export interface RestoreResult {
  manifest: Manifest;
  /** The copy of the replaced installation (with --force over a non-empty one). */
  keptCopy?: string;
}

/** Checks an archive without touching anything: answers its manifest, or throws BackupRefused. */
export async function checkBackup(target: Pick<RestoreTarget, 'appRoot' | 'owners' | 'workDir'>, file: string): Promise<Manifest> {
  const staging = await stagingDir(target.workDir, '.ruche-restore-');
  try {
    return await unpackChecked(target, file, staging.dir);
  } finally {
    await staging.dispose();
  }
}

async function unpackChecked(target: Pick<RestoreTarget, 'appRoot' | 'owners'>, file: string, dir: string): Promise<Manifest> {
  await unpack(file, dir);
  const manifest = readManifest(dir);
  checkVersion(manifest, rucheVersion(target.appRoot));
  if (!manifest.migrations.core?.length) throw new BackupRefused('its manifest lists no core migrations: not a Ruche backup');
  ownersFor(manifest, target.owners);
  await verifyChecksums(dir, manifest);
  return manifest;
}

export async function restoreBackup(target: RestoreTarget, file: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const onProgress = options.onProgress ?? (() => {});
  const staging = await stagingDir(target.workDir, '.ruche-restore-');
  try {
    const { dir } = staging;
    const manifest = await unpackChecked(target, file, dir);
    const existing = await allTableNames(target.db);
    let keptCopy: string | undefined;
    if (existing.length) {
      if (!options.force) {
        throw new BackupRefused(
          'the database is not empty (it holds an installation); restore into an empty one, or add --force to replace it (a backup of it is kept first)',
        );
      }
      keptCopy = await options.keepCopy?.();
      await dropTables(target.db, existing);
      await removeFiles(target.storage);
    }
    const [core, ...plugins] = ownersFor(manifest, target.owners);
    try {
      await new Migrator(target.db, core).latest(plugins);
      onProgress({ phase: 'migrations', done: 1, total: 1 });
      await loadTables(target.db, dir, manifest, onProgress);
    } catch (e) {
      // The rows went back with their transaction; the schema goes too, leaving the database empty again.
      await dropTables(target.db, await allTableNames(target.db));
      throw e;
    }
    await loadFiles(target.storage, dir, onProgress);
    return { manifest, keptCopy };
  } finally {
    await staging.dispose();
  }
}

async function dropTables(db: Knex, tables: string[]): Promise<void> {
  if (db.client.config.client === 'sqlite3') {
    await db.raw('PRAGMA foreign_keys = OFF');
    try {
      for (const t of tables) await db.raw(`drop table if exists ${quote(t)}`);
    } finally {
      await db.raw('PRAGMA foreign_keys = ON');
    }
    return;
  }
  for (const t of tables) await db.raw(`drop table if exists ${quote(t)} cascade`);
}

async function removeFiles(storage: Storage): Promise<void> {
  const keys: string[] = [];
  for await (const e of storage.list('')) keys.push(e.key);
  for (const key of keys) await storage.delete(key);
}

/** Every table's rows, in one transaction: the migrations' own rows go, the archive's come in. */
async function loadTables(db: Knex, dir: string, manifest: Manifest, onProgress: (p: Progress) => void): Promise<void> {
  const sqlite = db.client.config.client === 'sqlite3';
  await db.transaction(async (trx) => {
    const tables = new Map((await dataTables(trx)).map((t) => [t.name, t]));
    for (const t of manifest.tables) {
      if (!tables.has(t.name)) throw new BackupRefused(`its table ${t.name} is not in the schema its migrations build`);
    }
    const restoreTriggers = sqlite ? await holdSqliteTriggers(trx) : await holdPostgresTriggers(trx, [...tables.keys()]);
    for (const t of [...tables.values()].reverse()) await trx(t.name).delete();
    for (const [i, t] of manifest.tables.entries()) {
      const rows = await loadTable(trx, tables.get(t.name)!, path.join(dir, ...t.entry.split('/')));
      if (rows !== t.rows) throw new BackupRefused(`${t.entry} holds ${rows} rows where the manifest says ${t.rows}`);
      onProgress({ phase: 'tables', done: i + 1, total: manifest.tables.length });
    }
    await restoreTriggers();
    if (!sqlite) await resetSequences(trx);
  });
}

/**
 * SQLite: foreign keys checked at commit, triggers dropped and created again from their own SQL;
 * then the full-text tables indexing another table's rows (FTS5 `content=`, kept by those
 * triggers: core/db/substring-index.ts) are rebuilt from the rows loaded.
 */
async function holdSqliteTriggers(trx: Knex.Transaction): Promise<() => Promise<void>> {
  await trx.raw('PRAGMA defer_foreign_keys = ON');
  const triggers = (await trx.raw("select name, sql from sqlite_master where type = 'trigger'")) as { name: string; sql: string }[];
  for (const t of triggers) await trx.raw(`drop trigger ${quote(t.name)}`);
  return async () => {
    for (const t of triggers) await trx.raw(t.sql);
    const indexes = (await trx.raw("select name from sqlite_master where type = 'table' and sql like 'create virtual table % content=''%'")) as {
      name: string;
    }[];
    for (const { name } of indexes) await trx.raw(`insert into ${quote(name)} (${quote(name)}) values ('rebuild')`);
  };
}

/**
 * PostgreSQL: the tables' own triggers off, and every foreign key checked at the end of the
 * load rather than per row (a row may point at a row of the same table, or of a table in a
 * cycle, that comes later); then the keys are checked and made immediate again.
 */
async function holdPostgresTriggers(trx: Knex.Transaction, tables: string[]): Promise<() => Promise<void>> {
  const keys = (
    (await trx.raw(
      `select c.conrelid::regclass::text as tbl, c.conname as name from pg_constraint c join pg_namespace s on s.oid = c.connamespace
       where s.nspname = current_schema() and c.contype = 'f' and not c.condeferrable`,
    )) as { rows: { tbl: string; name: string }[] }
  ).rows;
  for (const k of keys) await trx.raw(`alter table ${quote(k.tbl)} alter constraint ${quote(k.name)} deferrable initially deferred`);
  for (const t of tables) await trx.raw(`alter table ${quote(t)} disable trigger user`);
  return async () => {
    await trx.raw('set constraints all immediate');
    for (const t of tables) await trx.raw(`alter table ${quote(t)} enable trigger user`);
    for (const k of keys) await trx.raw(`alter table ${quote(k.tbl)} alter constraint ${quote(k.name)} not deferrable`);
  };
}

/** Reads a table's JSON lines and inserts them in batches; answers how many rows. */
async function loadTable(trx: Knex.Transaction, table: TableInfo, file: string): Promise<number> {
  const lines = readline.createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let columns: string[] | undefined;
  let batch: Record<string, unknown>[] = [];
  let size = 1;
  let rows = 0;
  const flush = async (): Promise<void> => {
    if (batch.length) {
      await trx(table.name)
        .insert(batch)
        .catch((e: Error) => {
          // knex puts the whole statement before the database's reason: keep the reason.
          throw new Error(`cannot load the rows of ${table.name}: ${e.message.slice(e.message.lastIndexOf(' - ') + 3)}`);
        });
    }
    rows += batch.length;
    batch = [];
  };
  for await (const line of lines) {
    if (!line) continue;
    if (!columns) {
      columns = (JSON.parse(line) as { columns: string[] }).columns;
      const missing = columns.filter((c) => !table.columns.some((tc) => tc.name === c));
      if (missing.length) throw new BackupRefused(`its table ${table.name} has columns the schema lacks (${missing.join(', ')})`);
      size = Math.max(1, Math.min(500, Math.floor(30000 / Math.max(1, columns.length))));
      continue;
    }
    const values = JSON.parse(line) as ArchiveValue[];
    batch.push(Object.fromEntries(columns.map((c, i) => [c, decodeValue(values[i])])));
    if (batch.length >= size) await flush();
  }
  await flush();
  return rows;
}

/** Moves every serial column's sequence past the highest restored value. */
async function resetSequences(trx: Knex.Transaction): Promise<void> {
  const serials = (
    (await trx.raw(
      `select table_name as tbl, column_name as col, pg_get_serial_sequence(quote_ident(table_name), column_name) as seq
       from information_schema.columns where table_schema = current_schema() and column_default like 'nextval(%'`,
    )) as { rows: { tbl: string; col: string; seq: string | null }[] }
  ).rows;
  for (const s of serials) {
    if (!s.seq) continue;
    await trx.raw(`select setval(?, coalesce((select max(${quote(s.col)}) from ${quote(s.tbl)}), 0) + 1, false)`, [s.seq]);
  }
}

/** Puts every archived file back in the store, with its content type. */
async function loadFiles(storage: Storage, dir: string, onProgress: (p: Progress) => void): Promise<void> {
  const index = path.join(dir, 'files.jsonl');
  const entries = (await fs.readFile(index, 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { key: string; contentType: string });
  for (const [i, e] of entries.entries()) {
    await storage.put(e.key, createReadStream(path.join(dir, 'files', ...e.key.split('/'))), e.contentType);
    onProgress({ phase: 'files', done: i + 1, total: entries.length });
  }
}
