import { cardVersionMigration, createTables, userIdColumn, type Migration } from '../../core';

/**
 * One reaction per member per entity (the primary key), and the denormalised count of each
 * reaction per entity, changed in the same transaction with `n = n ± 1`.
 */
export const migrations: Migration[] = [
  createTables('001_likes', {
    reactions: (t) => {
      t.integer('entity_id').unsigned().notNullable().references('id').inTable('entities').onDelete('CASCADE');
      userIdColumn(t, 'user_id');
      t.string('reaction', 20).notNullable();
      t.integer('network_id').unsigned().notNullable();
      t.bigInteger('created_at').notNullable();
      t.primary(['entity_id', 'user_id']);
      t.index(['entity_id', 'reaction', 'created_at']);
      t.index(['user_id']);
    },
    reaction_counts: (t) => {
      t.integer('entity_id').unsigned().notNullable().references('id').inTable('entities').onDelete('CASCADE');
      t.string('reaction', 20).notNullable();
      t.integer('n').notNullable().defaultTo(0);
      t.primary(['entity_id', 'reaction']);
    },
  }),
  // A reaction given, changed or withdrawn (by anyone: a member's erasure too) changes the cards showing it (issue 18).
  cardVersionMigration('002_reactions_card_version', 'reactions', 'reactions'),
];
