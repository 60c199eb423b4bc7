/**
 * Runs the core's and the plugins' migrations, each owner with its own knex bookkeeping
 * table. A `migrate` run is recorded (which owners it advanced), so `rollback` undoes
 * exactly the last run, in reverse order.
 */
import type { Knex } from 'knex';
import type { Migration } from './migration';
import { migrationTable, migratorConfig } from './migration';
import { optimizeDatabase } from './database';

export interface MigrationOwner {
  id: string;
  migrations: readonly Migration[];
}

export interface OwnerReport {
  owner: string;
  names: string[];
}

const RUNS = 'ruche_migration_runs';

export class Migrator {
  /** `core`: the core manifest's migrations, always applied first (core/plugin.ts). */
  constructor(
    private readonly db: Knex,
    private readonly core: MigrationOwner,
  ) {}

  /** Applies pending migrations of the core and then of the given plugins (in the order given). */
  async latest(plugins: MigrationOwner[] = []): Promise<OwnerReport[]> {
    return this.foreignKeysOffOnSqlite(() => this.applyLatest(plugins));
  }

  private async applyLatest(plugins: MigrationOwner[]): Promise<OwnerReport[]> {
    await this.ensureRunsTable();
    const reports: OwnerReport[] = [];
    const run = await this.nextRun();
    for (const owner of [this.core, ...plugins]) {
      if (!owner.migrations.length) continue;
      const [, log] = (await this.db.migrate.latest(migratorConfig(owner.id, owner.migrations))) as [number, string[]];
      if (log.length) {
        reports.push({ owner: owner.id, names: log });
        await this.db(RUNS).insert({ run, owner: owner.id, created_at: Date.now() });
      }
    }
    // New tables and indexes: let the query planner learn about them.
    if (reports.length) await optimizeDatabase(this.db);
    return reports;
  }

  /** Migrations not yet applied, per owner (core first). */
  async pending(plugins: MigrationOwner[] = []): Promise<OwnerReport[]> {
    const out: OwnerReport[] = [];
    for (const owner of [this.core, ...plugins]) {
      if (!owner.migrations.length) continue;
      const [, pending] = (await this.db.migrate.list(migratorConfig(owner.id, owner.migrations))) as [unknown[], Migration[]];
      if (pending.length) out.push({ owner: owner.id, names: pending.map((m) => m.name) });
    }
    return out;
  }

  /** Whether the core schema exists at all (i.e. Ruche was installed on this database). */
  async isInstalled(): Promise<boolean> {
    return this.db.schema.hasTable('networks');
  }

  /** Undoes the last recorded run: each owner's last batch, newest owner first. */
  async rollbackLastRun(owners: MigrationOwner[]): Promise<OwnerReport[]> {
    return this.foreignKeysOffOnSqlite(() => this.rollback(owners));
  }

  private async rollback(owners: MigrationOwner[]): Promise<OwnerReport[]> {
    await this.ensureRunsTable();
    const last = await this.db(RUNS).max<{ run: number | null }[]>('run as run').first();
    if (!last?.run) return [];
    const rows: { owner: string }[] = await this.db(RUNS).where({ run: last.run }).orderBy('id', 'desc').select('owner');
    const byId = new Map([this.core, ...owners].map((o) => [o.id, o]));
    const reports: OwnerReport[] = [];
    for (const { owner } of rows) {
      const o = byId.get(owner);
      if (!o) continue;
      const [, log] = (await this.db.migrate.rollback(migratorConfig(o.id, o.migrations))) as [number, string[]];
      reports.push({ owner: o.id, names: log });
    }
    await this.db(RUNS).where({ run: last.run }).delete();
    return reports;
  }

  /** Reverts every migration of one plugin and forgets its bookkeeping (uninstall). */
  async removeOwner(owner: MigrationOwner): Promise<string[]> {
    return this.foreignKeysOffOnSqlite(() => this.remove(owner));
  }

  private async remove(owner: MigrationOwner): Promise<string[]> {
    const table = migrationTable(owner.id);
    if (!(await this.db.schema.hasTable(table))) return [];
    const [, log] = (await this.db.migrate.rollback(migratorConfig(owner.id, owner.migrations), true)) as [number, string[]];
    await this.db.schema.dropTableIfExists(`${table}_lock`);
    await this.db.schema.dropTableIfExists(table);
    if (await this.db.schema.hasTable(RUNS)) await this.db(RUNS).where({ owner: owner.id }).delete();
    return log;
  }

  /**
   * SQLite rebuilds a table to alter it, which enforced foreign keys would trip; the pragma
   * only changes outside a transaction, on the one connection SQLite's pool holds. Each step
   * checks the keys itself when it reshaped a table (core/db/migration-step.ts).
   */
  private async foreignKeysOffOnSqlite<T>(run: () => Promise<T>): Promise<T> {
    if (this.db.client.config.client !== 'sqlite3') return run();
    await this.db.raw('PRAGMA foreign_keys = OFF');
    try {
      return await run();
    } finally {
      await this.db.raw('PRAGMA foreign_keys = ON');
    }
  }

  private async ensureRunsTable(): Promise<void> {
    if (await this.db.schema.hasTable(RUNS)) return;
    try {
      await this.db.schema.createTable(RUNS, (t) => {
        t.increments('id');
        t.integer('run').notNullable();
        t.string('owner', 64).notNullable();
        t.bigInteger('created_at').notNullable();
      });
    } catch (e) {
      // Another process created it at the same moment.
      if (!(await this.db.schema.hasTable(RUNS))) throw e;
    }
  }

  private async nextRun(): Promise<number> {
    const row = await this.db(RUNS).max<{ run: number | null }[]>('run as run').first();
    return Number(row?.run ?? 0) + 1;
  }
}
