import { createTables, userIdColumn, type Migration } from '../migration';

/** Sign-in attempts (for throttling and the security record) and personal API tokens. */
export const authTables: Migration = createTables('003_auth_tables', {
  login_attempts: (t) => {
    t.bigIncrements('id');
    t.string('account', 254).nullable();
    t.string('ip', 64).nullable();
    t.boolean('success').notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['account', 'created_at']);
    t.index(['ip', 'created_at']);
  },
  api_tokens: (t) => {
    t.increments('id');
    userIdColumn(t, 'user_id');
    t.string('name', 100).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.string('prefix', 12).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_used_at').nullable();
    t.bigInteger('revoked_at').nullable();
    t.index(['user_id']);
  },
});
