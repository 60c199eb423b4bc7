import type { Knex } from 'knex';
import type { Migration } from '../migration';

/**
 * The relations the access model reads: friendship (written by the connections plugin,
 * both directions) and container membership (written by the groups plugin). The core
 * owns them so that one query clause decides visibility for every plugin.
 */
export const accessRelations: Migration = {
  name: '002_access_relations',
  async up(db: Knex) {
    await db.schema.createTable('user_relations', (t) => {
      t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
      t.integer('other_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
      t.string('kind', 20).notNullable();
      t.bigInteger('created_at').notNullable();
      t.primary(['user_id', 'other_id', 'kind']);
      t.index(['other_id', 'kind']);
    });
    await db.schema.createTable('container_members', (t) => {
      t.bigInteger('container_id').unsigned().notNullable().references('id').inTable('entities').onDelete('CASCADE');
      t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
      t.string('role', 20).notNullable().defaultTo('member');
      t.bigInteger('created_at').notNullable();
      t.primary(['container_id', 'user_id']);
      t.index(['user_id']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('container_members');
    await db.schema.dropTableIfExists('user_relations');
  },
};
