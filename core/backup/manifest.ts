/**
 * The manifest at the top of a backup archive: which Ruche wrote it, the migrations applied
 * per owner, each table's rows, the files, and a SHA-256 of every other entry of the archive.
 * Restoring reads it first and refuses an archive it cannot take whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import type { MigrationOwner } from '../db/migrator';

export const MANIFEST = 'manifest.json';
export const FORMAT = 1;

export interface TableEntry {
  name: string;
  rows: number;
  /** The entry holding its rows (`tables/<name>.jsonl`). */
  entry: string;
}

export interface Manifest {
  format: number;
  /** The Ruche (package) version that wrote the archive. */
  ruche: string;
  createdAt: string;
  /** The database the export was read from (`sqlite` or `postgres`); any restores into either. */
  dialect: string;
  /** Migration names applied when the backup was taken, per owner (`core`, then plugin ids). */
  migrations: Record<string, string[]>;
  /** Data tables in dependency order (each after the tables it references). */
  tables: TableEntry[];
  files: { count: number; bytes: number };
  /** Every entry of the archive but the manifest: its size and SHA-256 (hex). */
  checksums: Record<string, { bytes: number; sha256: string }>;
}

/** Why an archive cannot be restored: the whole line the user sees. */
export class BackupRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefused';
  }
}

/** The version in the app's package.json. */
export function rucheVersion(appRoot: string): string {
  return (JSON.parse(fs.readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Reads and checks the shape of an extracted archive's manifest. */
export function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file)) throw new BackupRefused('it has no manifest.json: not a Ruche backup');
  let m: Partial<Manifest>;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Manifest>;
  } catch (e) {
    throw new BackupRefused(`its manifest.json is not valid JSON (${(e as Error).message})`);
  }
  const valid =
    typeof m.format === 'number' &&
    typeof m.ruche === 'string' &&
    !!semver.valid(m.ruche) &&
    !!m.migrations &&
    typeof m.migrations === 'object' &&
    Array.isArray(m.tables) &&
    m.tables.every((t) => typeof t?.name === 'string' && typeof t.entry === 'string' && Number.isInteger(t.rows)) &&
    !!m.checksums &&
    typeof m.checksums === 'object';
  if (!valid) throw new BackupRefused('its manifest.json is incomplete: not a Ruche backup');
  if ((m.format ?? 0) > FORMAT) throw new BackupRefused(`its format (${m.format}) is newer than this Ruche reads (${FORMAT}); upgrade Ruche first`);
  return m as Manifest;
}

/** Refuses an archive written by a newer Ruche. */
export function checkVersion(manifest: Manifest, current: string): void {
  if (semver.gt(manifest.ruche, current)) {
    throw new BackupRefused(`it was written by Ruche ${manifest.ruche}, newer than this one (${current}); upgrade Ruche first`);
  }
}

/**
 * The migration owners to run to rebuild the archive's schema: for each owner it names, the
 * code's migrations it had applied. Refuses an owner or a migration this install does not have.
 */
export function ownersFor(manifest: Manifest, known: MigrationOwner[]): MigrationOwner[] {
  const byId = new Map(known.map((o) => [o.id, o]));
  const out: MigrationOwner[] = [];
  for (const [id, names] of Object.entries(manifest.migrations)) {
    const owner = byId.get(id);
    if (!owner) throw new BackupRefused(`it needs the plugin "${id}", which this install does not have; add the plugin first`);
    const have = new Set(owner.migrations.map((m) => m.name));
    const unknown = names.filter((n) => !have.has(n));
    if (unknown.length)
      throw new BackupRefused(`it has migrations of ${id} this install does not know (${unknown.join(', ')}); upgrade Ruche or the plugin first`);
    const applied = new Set(names);
    out.push({ id, migrations: owner.migrations.filter((m) => applied.has(m.name)) });
  }
  // Same order as the known owners (core first, plugins by their dependencies).
  return out.sort((a, b) => known.findIndex((o) => o.id === a.id) - known.findIndex((o) => o.id === b.id));
}
