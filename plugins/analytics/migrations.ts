import { dropTables, entityIdColumn, entityKeyColumn, networkIdColumn, userIdColumn, type Migration } from '../../core';
import type { Knex } from 'knex';
import { sumContentTotals } from './contents';
import { addFinalDays, rankContents } from './rollup';
import { monthOf, sumMonths } from './months';
import { sumWeeks } from './weeks';
import { WINDOW_COLUMNS } from './windows';

/**
 * Counting without tracking: `analytics_views` keeps one row per member, network and day
 * (UTC day number: days since 1970-01-01) on which the member was served a page, never a log
 * of views. The rollup job (rollup.ts) turns it and the core's activity rows into:
 * - `analytics_member_days`: per network and container (0: the whole network, else a group),
 *   day and member, whether they viewed a page and how many acts of each kind they made;
 * - `analytics_days`: per network, container and day, the day's figures (DAU/WAU/MAU,
 *   contributions, comments, reactions) the dashboard charts read without scanning activity;
 * - `analytics_content_days`: per network, day and entity, the acts about it (top contents);
 * - `analytics_member_weeks` (007), `analytics_member_months` (010): the member-days summed
 *   per week, per month (weeks.ts, months.ts);
 * - `analytics_content_totals` (008): per network, scope and content, a bound on its acts in
 *   any period (contents.ts);
 * - `analytics_topics`: each discussion with its first reply by someone else (response time).
 * `analytics_rollup` remembers the last day rolled up per network.
 */
export const migrations: Migration[] = [
  {
    name: '001_analytics',
    async up(db) {
      await db.schema.createTable('analytics_views', (t) => {
        networkIdColumn(t);
        userIdColumn(t, 'user_id');
        t.integer('day').notNullable();
        t.primary(['network_id', 'day', 'user_id']);
        t.index(['user_id']);
      });
      await db.schema.createTable('analytics_member_days', (t) => {
        networkIdColumn(t);
        t.bigInteger('container_id').notNullable();
        t.integer('day').notNullable();
        userIdColumn(t, 'user_id');
        t.integer('viewed').notNullable().defaultTo(0);
        t.integer('participations').notNullable().defaultTo(0);
        t.integer('contributions').notNullable().defaultTo(0);
        t.integer('comments').notNullable().defaultTo(0);
        t.integer('reactions').notNullable().defaultTo(0);
        t.primary(['network_id', 'container_id', 'day', 'user_id']);
        t.index(['user_id']);
      });
      await db.schema.createTable('analytics_days', (t) => {
        networkIdColumn(t);
        t.bigInteger('container_id').notNullable();
        t.integer('day').notNullable();
        t.integer('dau').notNullable().defaultTo(0);
        t.integer('wau').notNullable().defaultTo(0);
        t.integer('mau').notNullable().defaultTo(0);
        t.integer('contributions').notNullable().defaultTo(0);
        t.integer('comments').notNullable().defaultTo(0);
        t.integer('reactions').notNullable().defaultTo(0);
        t.primary(['network_id', 'container_id', 'day']);
      });
      await db.schema.createTable('analytics_content_days', (t) => {
        networkIdColumn(t);
        t.integer('day').notNullable();
        t.bigInteger('entity_id').unsigned().notNullable().references('id').inTable('entities').onDelete('CASCADE');
        t.bigInteger('container_id').notNullable();
        t.integer('acts').notNullable();
        t.primary(['network_id', 'day', 'entity_id']);
        t.index(['container_id', 'day']);
      });
      await db.schema.createTable('analytics_topics', (t) => {
        entityKeyColumn(t);
        networkIdColumn(t);
        t.bigInteger('container_id').notNullable();
        t.bigInteger('started_at').notNullable();
        t.bigInteger('first_reply_at').nullable();
        t.index(['network_id', 'started_at']);
        t.index(['container_id', 'started_at']);
      });
      await db.schema.createTable('analytics_rollup', (t) => {
        t.integer('network_id').unsigned().primary().references('id').inTable('networks').onDelete('CASCADE');
        t.integer('last_day').notNullable();
      });
    },
    async down(db) {
      await dropTables(
        db,
        'analytics_rollup',
        'analytics_topics',
        'analytics_content_days',
        'analytics_days',
        'analytics_member_days',
        'analytics_views',
      );
    },
  },
  {
    // The funnel and the top groups of the preset periods read from the days' rows: each day
    // holds the distinct members active, participating and contributing over the trailing 7,
    // 28 and 90 days (`active_7` and `active_28` are `wau` and `mau`) and the acts over them.
    // The history is rolled up again from the first day to fill them.
    name: '002_analytics_windows',
    async up(db) {
      await db.schema.alterTable('analytics_days', (t) => {
        for (const column of WINDOW_COLUMNS) t.integer(column).notNullable().defaultTo(0);
        t.index(['network_id', 'day', 'container_id']);
      });
      await db('analytics_rollup').delete();
    },
    async down(db) {
      await db.schema.alterTable('analytics_days', (t) => {
        t.dropIndex(['network_id', 'day', 'container_id']);
        for (const column of WINDOW_COLUMNS) t.dropColumn(column);
      });
    },
  },
  {
    // The top contents sum a period's acts per content from the index alone, for the network
    // and for a group.
    name: '003_analytics_content_index',
    async up(db) {
      await db.schema.alterTable('analytics_content_days', (t) => {
        t.index(['network_id', 'day', 'entity_id', 'acts']);
        t.index(['network_id', 'container_id', 'day', 'entity_id', 'acts']);
      });
    },
    async down(db) {
      await db.schema.alterTable('analytics_content_days', (t) => {
        t.dropIndex(['network_id', 'day', 'entity_id', 'acts']);
        t.dropIndex(['network_id', 'container_id', 'day', 'entity_id', 'acts']);
      });
    },
  },
  {
    // Each member's last day active, participating and contributing per container, over the
    // final days (before the last one rolled up): the adoption table and the funnel of a period
    // ending on the last day rolled up read one row per member instead of every member-day of
    // the period. Filled from the member-days already rolled up (no rollup again).
    name: '004_analytics_member_last',
    async up(db) {
      await db.schema.createTable('analytics_member_last', (t) => {
        networkIdColumn(t);
        t.bigInteger('container_id').notNullable();
        userIdColumn(t, 'user_id');
        t.integer('active_day').notNullable();
        t.integer('participated_day').nullable();
        t.integer('contributed_day').nullable();
        t.primary(['network_id', 'container_id', 'user_id']);
        t.index(['network_id', 'container_id', 'active_day']);
        t.index(['user_id']);
      });
      const states = (await db('analytics_rollup').select('network_id', 'last_day')) as { network_id: unknown; last_day: unknown }[];
      for (const state of states) await addFinalDays(db, Number(state.network_id), 0, Number(state.last_day) - 1);
    },
    async down(db) {
      await dropTables(db, 'analytics_member_last');
    },
  },
  {
    // The top contents of the network's preset periods, ranked by the rollup job for the last
    // day rolled up (filled here from the rollups already there).
    name: '005_analytics_top_contents',
    async up(db) {
      await db.schema.createTable('analytics_top_contents', (t) => {
        networkIdColumn(t);
        t.integer('window_days').notNullable();
        t.integer('day').notNullable();
        t.integer('place').notNullable();
        t.bigInteger('entity_id').unsigned().notNullable().references('id').inTable('entities').onDelete('CASCADE');
        t.integer('acts').notNullable();
        t.primary(['network_id', 'window_days', 'place']);
        t.index(['entity_id']);
      });
      const states = (await db('analytics_rollup').select('network_id', 'last_day')) as { network_id: unknown; last_day: unknown }[];
      for (const state of states) await rankContents(db, Number(state.network_id), Number(state.last_day));
    },
    async down(db) {
      await dropTables(db, 'analytics_top_contents');
    },
  },
  // The job's runs per network: what the dashboard computes from the rollups is kept in
  // memory until the next run (memo.ts).
  rollupCounter('006_analytics_rollup_runs', 'runs'),
  {
    // Weekly member rows (weeks.ts): the distinct members of a custom period are the union of
    // its whole weeks' rows and its end days' member-days. On SQLite the table is stored in its
    // key's order (WITHOUT ROWID: a period's weeks are read from the key alone). Filled here from
    // the member-days already rolled up (no rollup again).
    name: '007_analytics_member_weeks',
    async up(db) {
      await createMemberSpans(db, 'analytics_member_weeks', 'week');
      await sumWeeks(db, '1 = 1', []);
    },
    async down(db) {
      await dropTables(db, 'analytics_member_weeks');
    },
  },
  {
    // The bounds the top contents of any period are read by (contents.ts): per network, scope
    // (0: the whole network, else a group) and content, its acts over every day rolled up and
    // its first and last day with acts, read best first; and the content-days of a few
    // contents summed by content. Filled here from the content-days already rolled up.
    name: '008_analytics_content_totals',
    async up(db) {
      await createKeyOrdered(db, 'analytics_content_totals', (t) => {
        networkIdColumn(t);
        t.bigInteger('container_id').notNullable();
        entityIdColumn(t, 'entity_id');
        t.integer('acts').notNullable();
        t.integer('first_day').notNullable();
        t.integer('last_day').notNullable();
        t.primary(['network_id', 'container_id', 'entity_id']);
        t.index(['network_id', 'container_id', 'acts', 'entity_id', 'first_day', 'last_day']);
        // A content's deletion deletes its rows by this index (the foreign key's cascade).
        t.index(['entity_id']);
      });
      await db.schema.alterTable('analytics_content_days', (t) => {
        t.index(['network_id', 'entity_id', 'day', 'container_id', 'acts']);
      });
      await sumContentTotals(db, '1 = 1', []);
    },
    async down(db) {
      await db.schema.alterTable('analytics_content_days', (t) => {
        t.dropIndex(['network_id', 'entity_id', 'day', 'container_id', 'acts']);
      });
      await dropTables(db, 'analytics_content_totals');
    },
  },
  // Members erased per network (erasure.ts): with the job's runs, what the figures kept in
  // memory are keyed by (memo.ts), so an erasure changes them at once in every process.
  rollupCounter('009_analytics_rollup_erasures', 'erasures'),
  {
    // Monthly member rows (months.ts): a long period's distinct members are the union of its
    // whole months' rows, then of the weeks and days at its ends. Filled here from the
    // member-days already rolled up (no rollup again).
    name: '010_analytics_member_months',
    async up(db) {
      await createMemberSpans(db, 'analytics_member_months', 'month');
      const spans = (await db('analytics_member_days')
        .groupBy('network_id')
        .select('network_id', db.raw('min(day) as lo'), db.raw('max(day) as hi'))) as Record<string, unknown>[];
      for (const s of spans) await sumMonths(db, Number(s.network_id), monthOf(Number(s.lo)), monthOf(Number(s.hi)));
    },
    async down(db) {
      await dropTables(db, 'analytics_member_months');
    },
  },
];

/**
 * Creates a table with knex's builder; on SQLite stored in its key's order (WITHOUT ROWID: a
 * range of the key is read from the key alone), the same columns and indexes on both databases.
 */
async function createKeyOrdered(db: Knex, name: string, build: (t: Knex.CreateTableBuilder) => void): Promise<void> {
  const builder = db.schema.createTable(name, build);
  if (db.client.config.client !== 'sqlite3') return void (await builder);
  const [create, ...rest] = builder.toSQL();
  await db.raw(`${create.sql} without rowid`, create.bindings);
  for (const statement of rest) await db.raw(statement.sql, statement.bindings);
}

/** The member rows of a span of days (`week`, `month`): per network, container, span and member, its participations and contributions. */
async function createMemberSpans(db: Knex, table: string, span: string): Promise<void> {
  await createKeyOrdered(db, table, (t) => {
    networkIdColumn(t);
    t.bigInteger('container_id').notNullable();
    t.integer(span).notNullable();
    userIdColumn(t, 'user_id');
    t.integer('participations').notNullable().defaultTo(0);
    t.integer('contributions').notNullable().defaultTo(0);
    t.primary(['network_id', 'container_id', span, 'user_id']);
    // A member's erasure deletes their rows by this index (the foreign key's cascade).
    t.index(['user_id']);
  });
}

/** A migration adding a counter (0) to `analytics_rollup`. */
function rollupCounter(name: string, column: string): Migration {
  return {
    name,
    async up(db) {
      await db.schema.alterTable('analytics_rollup', (t) => {
        t.integer(column).notNullable().defaultTo(0);
      });
    },
    async down(db) {
      await db.schema.alterTable('analytics_rollup', (t) => {
        t.dropColumn(column);
      });
    },
  };
}
