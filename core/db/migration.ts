/**
 * Migrations are plain objects listed in code (the core's list, each plugin's manifest),
 * so compiled and source layouts behave the same and a manifest shows everything it adds.
 * Each owner keeps its own bookkeeping table (`ruche_migrations_<owner>`), so plugins are
 * added and removed independently.
 */
import type { Knex } from 'knex';
import { runMigrationStep } from './migration-step';

export interface Migration {
  /** Unique within its owner, sorted by name: use a numeric prefix (`001_create_posts`). */
  name: string;
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

export class ListMigrationSource implements Knex.MigrationSource<Migration> {
  constructor(private readonly migrations: readonly Migration[]) {}
  async getMigrations(): Promise<Migration[]> {
    return [...this.migrations].sort((a, b) => a.name.localeCompare(b.name));
  }
  getMigrationName(m: Migration): string {
    return m.name;
  }
  async getMigration(m: Migration): Promise<Knex.Migration> {
    // On SQLite a step may rebuild a table another owner's trigger names (core/db/migration-step.ts).
    return { up: (db: Knex) => runMigrationStep(db, () => m.up(db)), down: (db: Knex) => runMigrationStep(db, () => m.down(db)) };
  }
}

/** The bookkeeping table of an owner (`core` or a plugin id). */
export function migrationTable(owner: string): string {
  return `ruche_migrations_${owner.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
}

export function migratorConfig(owner: string, migrations: readonly Migration[]): Knex.MigratorConfig {
  return { tableName: migrationTable(owner), migrationSource: new ListMigrationSource(migrations) };
}

/*
 * Column helpers for migrations: the references that tables make again and again, written
 * once. Migrations that shipped use them, so what one emits never changes: another kind of
 * column is another helper.
 */

/** `name` references a member (`users.id`), never null; the row goes when the member does. */
export function userIdColumn(t: Knex.CreateTableBuilder, name: string): Knex.ReferencingColumnBuilder {
  return t.integer(name).unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
}

/** `name` references an entity (`entities.id`), never null; the row goes when the entity does. */
export function entityIdColumn(t: Knex.CreateTableBuilder, name: string): Knex.ReferencingColumnBuilder {
  return t.bigInteger(name).unsigned().notNullable().references('id').inTable('entities').onDelete('CASCADE');
}

/** `name` references a network (`networks.id`), never null; the row goes when the network does. */
export function networkIdColumn(t: Knex.CreateTableBuilder, name = 'network_id'): Knex.ReferencingColumnBuilder {
  return t.integer(name).unsigned().notNullable().references('id').inTable('networks').onDelete('CASCADE');
}

/**
 * The key of a plugin's table of one kind of content: `entity_id`, the entity the row adds its
 * columns to (one row per entity); the row goes when the entity does.
 */
export function entityKeyColumn(t: Knex.CreateTableBuilder): Knex.ReferencingColumnBuilder {
  return t.bigInteger('entity_id').unsigned().primary().references('id').inTable('entities').onDelete('CASCADE');
}

/**
 * A row per (entity, member) — who is mentioned in a post, who organises an event: `column` (the
 * entity) and `user_id`, the pair as key, and the index that finds a member's rows.
 */
export function entityMemberKey(t: Knex.CreateTableBuilder, column: string): void {
  entityIdColumn(t, column);
  userIdColumn(t, 'user_id');
  t.primary([column, 'user_id']);
  t.index(['user_id']);
}

/**
 * A relation from one member to another (a follow, a block): both members, when it was made, the
 * pair as key, and the index that finds the relations to a member.
 */
export function memberPairColumns(t: Knex.CreateTableBuilder, from: string, to: string): void {
  userIdColumn(t, from);
  userIdColumn(t, to);
  t.bigInteger('created_at').notNullable();
  t.primary([from, to]);
  t.index([to]);
}

/**
 * The columns of an article (core/content/article.ts): its title, its Markdown body and the HTML
 * made of it, and the excerpt lists show.
 */
export function articleColumns(t: Knex.CreateTableBuilder): void {
  t.string('title', 200).notNullable();
  t.text('body').notNullable();
  t.text('body_html').notNullable();
  t.string('excerpt', 320).notNullable().defaultTo('');
}

/** Drops these columns of `table`, in one alteration: what `down` does for the columns `up` added. */
export async function dropColumns(db: Knex, table: string, ...columns: string[]): Promise<void> {
  await db.schema.alterTable(table, (t) => {
    for (const column of columns) t.dropColumn(column);
  });
}

/** How `addColumns` adds one column, given its name: `(t, name) => t.string(name, 80).nullable()`. */
export type AddColumn = (t: Knex.AlterTableBuilder, name: string) => Knex.ColumnBuilder;

/** A flag: a boolean column, false until set (`{ withheld: flagColumn }`). */
export const flagColumn: AddColumn = (t, name) => t.boolean(name).notNullable().defaultTo(false);

/**
 * A migration that only adds columns to one table: `up` adds them in this order, in one
 * alteration; `down` drops them, last first.
 */
export function addColumns(name: string, table: string, columns: Record<string, AddColumn>): Migration {
  return {
    name,
    async up(db) {
      await db.schema.alterTable(table, (t) => {
        for (const [column, add] of Object.entries(columns)) add(t, column);
      });
    },
    async down(db) {
      await dropColumns(db, table, ...Object.keys(columns).reverse());
    },
  };
}

/** Creates the index `name` of `table` on these columns, in one alteration. */
export async function createIndex(db: Knex, table: string, name: string, columns: readonly string[]): Promise<void> {
  await db.schema.alterTable(table, (t) => {
    t.index([...columns], name);
  });
}

/** Drops the index `name` of `table` (on these columns), in one alteration: what `down` does for `createIndex`. */
export async function dropIndex(db: Knex, table: string, name: string, columns: readonly string[]): Promise<void> {
  await db.schema.alterTable(table, (t) => {
    t.dropIndex([...columns], name);
  });
}

/**
 * A migration that only adds the index `index` of `table` on these columns: `up` creates it, `down`
 * drops it. With `where` (a condition on the table's columns, SQL both databases read the same), a
 * partial index of the rows that meet it: `addIndex(..., ['entity_id'], 'withheld')`.
 */
export function addIndex(name: string, table: string, index: string, columns: readonly string[], where?: string): Migration {
  if (where)
    return {
      name,
      async up(db) {
        await db.raw(`create index ${index} on ${table} (${columns.join(', ')}) where ${where}`);
      },
      async down(db) {
        await db.raw(`drop index ${index}`);
      },
    };
  return {
    name,
    up: (db) => createIndex(db, table, index, columns),
    down: (db) => dropIndex(db, table, index, columns),
  };
}

/**
 * A migration that only creates tables: `up` creates them in this order, each built by its
 * function; `down` drops the ones that exist, last first.
 */
export function createTables(name: string, tables: Record<string, (t: Knex.CreateTableBuilder) => void>): Migration {
  return {
    name,
    async up(db) {
      for (const [table, build] of Object.entries(tables)) await db.schema.createTable(table, build);
    },
    async down(db) {
      await dropTables(db, ...Object.keys(tables).reverse());
    },
  };
}

/** Drops the tables that exist, in this order (dependent tables first): what `down` does. */
export async function dropTables(db: Knex, ...tables: string[]): Promise<void> {
  for (const table of tables) await db.schema.dropTableIfExists(table);
}
