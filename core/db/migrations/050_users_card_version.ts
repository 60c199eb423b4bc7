import type { Knex } from 'knex';
import type { Migration } from '../migration';
import { createRowTrigger, dropRowTrigger } from '../triggers';

const TABLE = 'card_generations';
const BUMP = `update ${TABLE} set version = version + 1 where name = 'users'`;
const TRIGGERS = [
  { name: 'users_card_version_insert', event: 'insert' },
  { name: 'users_card_version_update', event: 'update of username, display_name, photo_key, status, kind' },
  { name: 'users_card_version_delete', event: 'delete' },
];

/**
 * The members' card version (issue 18): one number that goes up whenever what a card may show of
 * any member changes (a name, a username in a link, an avatar, a status that hides a mention's
 * link or a comment, a bot's badge), bumped by row triggers on `users` whoever writes. A card kept
 * with its describe and panel reads skipped (plugins/activity/feed.ts) is keyed by it, so a renamed
 * member is never shown by an old name. Other columns (last sign-in, settings) leave it alone.
 */
export const usersCardVersion: Migration = {
  name: '050_users_card_version',
  async up(db: Knex) {
    await db.schema.createTable(TABLE, (t) => {
      t.string('name', 40).primary();
      t.bigInteger('version').notNullable().defaultTo(0);
    });
    await db(TABLE).insert({ name: 'users', version: 0 });
    for (const t of TRIGGERS) await createRowTrigger(db, { ...t, table: 'users', timing: 'after', statements: [BUMP] });
  },
  async down(db: Knex) {
    for (const t of TRIGGERS) await dropRowTrigger(db, t.name, 'users');
    await db.schema.dropTable(TABLE);
  },
};
