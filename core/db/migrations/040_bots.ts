import type { Knex } from 'knex';
import { dropColumns, networkIdColumn, userIdColumn, type Migration } from '../migration';

/**
 * Service accounts (core/members/bots.ts). `users.kind` tells a person (`person`) from a bot
 * (`bot`): a bot has no password, never signs in on the web and acts through its API tokens;
 * the places that measure people (active members, new members, member counts) read `kind`.
 * `bots` keeps what a bot is beside its account: the network that manages it, its description,
 * its scope (`network`, `subnetworks`: the network and its sub-networks, or `groups`: the
 * containers it is a member of), who created it and when.
 */
export const bots: Migration = {
  name: '040_bots',
  async up(db: Knex) {
    await db.schema.alterTable('users', (t) => {
      t.string('kind', 10).notNullable().defaultTo('person');
    });
    await db.schema.createTable('bots', (t) => {
      userIdColumn(t, 'user_id');
      networkIdColumn(t);
      t.string('description', 500).notNullable().defaultTo('');
      t.string('scope', 20).notNullable();
      t.integer('created_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL');
      t.bigInteger('created_at').notNullable();
      t.primary(['user_id']);
      t.index(['network_id']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('bots');
    await dropColumns(db, 'users', 'kind');
  },
};
