import type { Knex } from 'knex';
import { dropColumns, userIdColumn, type Migration } from '../migration';

/**
 * The JSON API's conventions (core/http/api): each personal token's scope (`read`, `write`
 * or `admin`, chosen at creation; tokens made before it keep what they could do: `write`),
 * and the answers to creations sent with an `Idempotency-Key`, replayed to a repeat of the
 * same request for a day.
 */
export const apiConventions: Migration = {
  name: '023_api_conventions',
  async up(db: Knex) {
    await db.schema.alterTable('api_tokens', (t) => {
      t.string('scope', 10).notNullable().defaultTo('write');
    });
    await db.schema.createTable('api_idempotency', (t) => {
      t.bigIncrements('id');
      userIdColumn(t, 'user_id');
      t.string('idem_key', 255).notNullable();
      /** `METHOD path` and a hash of the body: a key reused for another request is refused. */
      t.string('fingerprint', 128).notNullable();
      /** Null while the first request runs. */
      t.integer('status');
      t.text('response');
      t.bigInteger('created_at').notNullable();
      t.unique(['user_id', 'idem_key']);
      t.index(['created_at']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('api_idempotency');
    await dropColumns(db, 'api_tokens', 'scope');
  },
};
