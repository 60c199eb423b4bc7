/**
 * Writing a backup: a logical export of every data table read in one consistent snapshot
 * (SQLite: one read transaction; PostgreSQL: a REPEATABLE READ, READ ONLY transaction), so it
 * can run while the site serves; then the stored files, the configuration without its secrets,
 * and the manifest with a checksum of every entry.
 */
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import type { RucheConfig } from '../config';
import { migrationTable } from '../db/migration';
import type { MigrationOwner } from '../db/migrator';
import type { Storage } from '../storage';
import { listEntries, pack, sha256, stagingDir } from './archive';
import { FORMAT, MANIFEST, rucheVersion, type Manifest, type TableEntry } from './manifest';
import { allTableNames, dataTables, quote, type TableInfo } from './schema';
import { encodeValue, exportColumns } from './values';
import { publicConfig } from './public-config';

export interface Progress {
  /** `tables` then `files` (and, for a restore, `migrations`). */
  phase: string;
  done: number;
  total: number;
}

export interface BackupSource {
  db: Knex;
  config: RucheConfig;
  appRoot: string;
  storage: Storage;
  /** Every migration owner this install knows (core first): whose applied migrations the manifest lists. */
  owners: MigrationOwner[];
}

export interface BackupResult {
  file: string;
  manifest: Manifest;
  bytes: number;
}

const PAGE = 2000;

/** Writes a backup archive to `output` (its folder is created); answers what it holds. */
export async function createBackup(source: BackupSource, output: string, onProgress: (p: Progress) => void = () => {}): Promise<BackupResult> {
  const file = path.resolve(output);
  const staging = await stagingDir(path.dirname(file), '.ruche-backup-');
  try {
    const { dir } = staging;
    const snapshot = await exportDatabase(source, dir, onProgress);
    const files = await exportFiles(source.storage, dir, onProgress);
    await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify(publicConfig(source.config), null, 2) + '\n');
    const checksums: Manifest['checksums'] = {};
    for (const entry of await listEntries(dir)) {
      const f = path.join(dir, ...entry.split('/'));
      checksums[entry] = { bytes: (await fs.stat(f)).size, sha256: await sha256(f) };
    }
    const manifest: Manifest = {
      format: FORMAT,
      ruche: rucheVersion(source.appRoot),
      createdAt: new Date().toISOString(),
      dialect: source.db.client.config.client === 'sqlite3' ? 'sqlite' : 'postgres',
      ...snapshot,
      files,
      checksums,
    };
    await fs.writeFile(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    await pack(dir, Object.keys(checksums), file);
    return { file, manifest, bytes: (await fs.stat(file)).size };
  } finally {
    await staging.dispose();
  }
}

/** The migrations and every table's rows, read in one snapshot. */
async function exportDatabase(
  source: BackupSource,
  dir: string,
  onProgress: (p: Progress) => void,
): Promise<{ migrations: Manifest['migrations']; tables: TableEntry[] }> {
  await fs.mkdir(path.join(dir, 'tables'));
  const read = async (trx: Knex.Transaction): Promise<{ migrations: Manifest['migrations']; tables: TableEntry[] }> => {
    const migrations = await appliedMigrations(trx, source.owners);
    const tables = await dataTables(trx);
    const entries: TableEntry[] = [];
    for (const [i, table] of tables.entries()) {
      const entry = `tables/${table.name}.jsonl`;
      entries.push({ name: table.name, rows: await exportTable(trx, table, path.join(dir, entry)), entry });
      onProgress({ phase: 'tables', done: i + 1, total: tables.length });
    }
    return { migrations, tables: entries };
  };
  if (source.db.client.config.client === 'sqlite3') return source.db.transaction(read);
  return source.db.transaction(read, { isolationLevel: 'repeatable read', readOnly: true });
}

/** Applied migration names per owner: the known owners, then bookkeeping tables of owners this install lacks. */
async function appliedMigrations(db: Knex, owners: MigrationOwner[]): Promise<Manifest['migrations']> {
  const out: Manifest['migrations'] = {};
  const tables = new Map<string, string>(owners.map((o) => [migrationTable(o.id), o.id]));
  const present = (await allBookkeeping(db)).filter((t) => !t.endsWith('_lock'));
  for (const t of present) tables.set(t, tables.get(t) ?? t.slice('ruche_migrations_'.length));
  for (const [table, owner] of tables) {
    if (!present.includes(table)) continue;
    const rows: { name: string }[] = await db(table).orderBy('id').select('name');
    if (rows.length) out[owner] = rows.map((r) => r.name);
  }
  return out;
}

async function allBookkeeping(db: Knex): Promise<string[]> {
  return (await allTableNames(db)).filter((n) => n.startsWith('ruche_migrations_'));
}

/**
 * Writes a table as JSON lines: a header `{"table", "columns"}`, then one array of values per
 * row, in primary-key order (so a row comes after the row of the same table it points at).
 */
async function exportTable(db: Knex, table: TableInfo, file: string): Promise<number> {
  const out = await fs.open(file, 'w');
  try {
    await out.write(JSON.stringify({ table: table.name, columns: table.columns.map((c) => c.name) }) + '\n');
    const select = exportColumns(table.columns);
    // Columns named with their table: the select list's text copies of integers carry the same
    // names, and an unqualified `order by id` would sort by that text ("10" before "9").
    const col = (name: string): string => `${quote(table.name)}.${quote(name)}`;
    const order = (table.primaryKey.length ? table.primaryKey : table.columns.map((c) => c.name)).map(col).join(', ');
    const key = table.primaryKey.length === 1 ? table.columns.find((c) => c.name === table.primaryKey[0] && c.kind === 'int') : undefined;
    let rows = 0;
    let after: number | string | undefined;
    for (;;) {
      const page: Record<string, unknown>[] = key
        ? await db
            .raw(
              `select ${select} from ${quote(table.name)}${after === undefined ? '' : ` where ${col(key.name)} > ?`} order by ${order} limit ${PAGE}`,
              after === undefined ? [] : [after],
            )
            .then(rowsOf)
        : await db.raw(`select ${select} from ${quote(table.name)} order by ${order} limit ${PAGE} offset ${rows}`).then(rowsOf);
      if (!page.length) break;
      await out.write(page.map((r) => JSON.stringify(table.columns.map((c) => encodeValue(c, r[c.name])))).join('\n') + '\n');
      rows += page.length;
      if (key) after = page[page.length - 1][key.name] as string;
      if (page.length < PAGE) break;
    }
    return rows;
  } finally {
    await out.close();
  }
}

/** knex's raw answer: the rows on SQLite, `{ rows }` on PostgreSQL. */
const rowsOf = (r: unknown): Record<string, unknown>[] => (Array.isArray(r) ? r : (r as { rows: Record<string, unknown>[] }).rows);

/** Copies every stored file to `files/<key>` and lists them (key, type, size) in files.jsonl. */
async function exportFiles(storage: Storage, dir: string, onProgress: (p: Progress) => void): Promise<Manifest['files']> {
  const keys: string[] = [];
  for await (const e of storage.list('')) keys.push(e.key);
  keys.sort();
  const index = await fs.open(path.join(dir, 'files.jsonl'), 'w');
  let count = 0;
  let bytes = 0;
  try {
    for (const [i, key] of keys.entries()) {
      const stored = await storage.stream(key);
      // A file deleted since it was listed is left out, as the rows that named it may be.
      if (stored) {
        const target = path.join(dir, 'files', ...key.split('/'));
        await fs.mkdir(path.dirname(target), { recursive: true });
        await pipeline(stored.body, createWriteStream(target));
        const size = (await fs.stat(target)).size;
        await index.write(JSON.stringify({ key, contentType: stored.contentType, size }) + '\n');
        count++;
        bytes += size;
      }
      onProgress({ phase: 'files', done: i + 1, total: keys.length });
    }
  } finally {
    await index.close();
  }
  return { count, bytes };
}
