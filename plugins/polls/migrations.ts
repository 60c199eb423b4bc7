import {
  cardVersionMigration,
  createRowTrigger,
  createTables,
  dropRowTrigger,
  dropTables,
  entityIdColumn,
  userIdColumn,
  type Migration,
  type RowTrigger,
} from '../../core';
import type { Knex } from 'knex';

/**
 * A poll is an entity (`poll`) with its own row; its options carry their vote counts.
 *
 * Anonymous ballots: who voted (`polls_voters`: the poll and the member, nothing else) is kept
 * apart from what was voted (the options' `votes` counters). No timestamp, no id and no row
 * order joins the two: a ballot is not a row, and each vote updates every option of the poll
 * in place (the chosen ones by one, the others by nothing). On SQLite `polls_voters` is
 * WITHOUT ROWID (stored by poll and member, no hidden insertion number). Anonymous polls take
 * no "other" words (free text can name its writer). Only named polls keep each member's
 * choices and words (`polls_choices`), to change a vote and for the managers' export.
 */
async function keyOrdered(db: Knex, name: string, columns: string, key: string, build: (t: Knex.CreateTableBuilder) => void): Promise<void> {
  if (db.client.config.client === 'sqlite3') {
    await db.raw(`create table ${name} (${columns}, primary key (${key})) without rowid`);
  } else {
    await db.schema.createTable(name, build);
  }
}

export const migrations: Migration[] = [
  {
    name: '001_polls',
    async up(db) {
      await db.schema.createTable('polls_polls', (t) => {
        entityIdColumn(t, 'entity_id');
        t.primary(['entity_id']);
        t.bigInteger('parent_entity_id').nullable().references('id').inTable('entities').onDelete('CASCADE');
        t.string('question', 300).notNullable();
        t.boolean('multiple').notNullable().defaultTo(false);
        t.boolean('anonymous').notNullable().defaultTo(false);
        t.string('results', 10).notNullable().defaultTo('always');
        t.bigInteger('closes_at').nullable();
        t.bigInteger('closed_at').nullable();
        t.index(['parent_entity_id']);
      });
      await db.schema.createTable('polls_options', (t) => {
        t.increments('id').primary();
        t.bigInteger('poll_id').notNullable().references('entity_id').inTable('polls_polls').onDelete('CASCADE');
        t.integer('position').notNullable();
        t.string('label', 200).notNullable();
        t.boolean('is_other').notNullable().defaultTo(false);
        t.integer('votes').notNullable().defaultTo(0);
        t.index(['poll_id', 'position']);
      });
      await keyOrdered(
        db,
        'polls_voters',
        'poll_id bigint not null references polls_polls(entity_id) on delete cascade, user_id integer not null references users(id) on delete cascade',
        'poll_id, user_id',
        (t) => {
          t.bigInteger('poll_id').notNullable().references('entity_id').inTable('polls_polls').onDelete('CASCADE');
          userIdColumn(t, 'user_id');
          t.primary(['poll_id', 'user_id']);
        },
      );
      await db.schema.createTable('polls_choices', (t) => {
        t.bigInteger('poll_id').notNullable().references('entity_id').inTable('polls_polls').onDelete('CASCADE');
        userIdColumn(t, 'user_id');
        t.integer('option_id').notNullable().references('id').inTable('polls_options').onDelete('CASCADE');
        t.string('other_text', 200).nullable();
        t.primary(['poll_id', 'user_id', 'option_id']);
      });
    },
    async down(db) {
      await dropTables(db, 'polls_choices', 'polls_voters', 'polls_options', 'polls_polls');
    },
  },
  createTables('002_polls_ideas', {
    polls_ideas: (t) => {
      entityIdColumn(t, 'entity_id');
      t.primary(['entity_id']);
      t.string('title', 200).notNullable();
      t.text('body').notNullable();
      t.string('status', 20).notNullable().defaultTo('new');
      t.text('reply').nullable();
      t.bigInteger('status_at').nullable();
      t.integer('up').notNullable().defaultTo(0);
      t.integer('down').notNullable().defaultTo(0);
      t.integer('score').notNullable().defaultTo(0);
      t.index(['status']);
      t.index(['score']);
    },
    // Idea votes are named: their voters hear of the idea's status, and a budget counts them.
    polls_idea_votes: (t) => {
      t.bigInteger('idea_id').notNullable().references('entity_id').inTable('polls_ideas').onDelete('CASCADE');
      userIdColumn(t, 'user_id');
      t.smallint('value').notNullable();
      t.primary(['idea_id', 'user_id']);
      t.index(['user_id']);
    },
  }),
  // A poll's row rewritten (closed, reopened, edited) changes the panel of the post it is attached to (issue 18).
  cardVersionMigration('003_polls_card_version', 'polls_parent', 'polls_polls', 'parent_entity_id'),
  ballotsMigration('004_polls_ballots_card_version'),
];

/** Bumps the version of the entity a poll is attached to, from a row of `table` naming the poll (`poll_id`). */
function parentBumps(table: string): RowTrigger[] {
  const bump = (row: 'new' | 'old') =>
    `update entities set version = version + 1 where id = (select parent_entity_id from polls_polls where entity_id = ${row}.poll_id)`;
  return [
    { name: `${table}_card_insert`, table, timing: 'after', event: 'insert', statements: [bump('new')] },
    { name: `${table}_card_delete`, table, timing: 'after', event: 'delete', statements: [bump('old')] },
    { name: `${table}_card_update`, table, timing: 'after', event: 'update', statements: [bump('old'), bump('new')] },
  ];
}

/** A vote, a voter, an option's count or label (by any writer, an erased member's cascade too) change the post's poll panel. */
function ballotsMigration(name: string): Migration {
  const triggers = ['polls_options', 'polls_voters', 'polls_choices'].flatMap(parentBumps);
  return {
    name,
    async up(db) {
      for (const t of triggers) await createRowTrigger(db, t);
    },
    async down(db) {
      for (const t of triggers) await dropRowTrigger(db, t.name, t.table);
    },
  };
}
