import type { Knex } from 'knex';
import { networkIdColumn, userIdColumn, type Migration } from '../migration';

/** Times are stored as integer milliseconds since the epoch on both databases. */
const now = (): number => Date.now();

export const coreSchema: Migration = {
  name: '001_core_schema',
  async up(db: Knex) {
    await db.schema.createTable('core_settings', (t) => {
      t.string('key', 100).primary();
      t.text('value').notNullable();
    });
    await db.schema.createTable('networks', (t) => {
      t.increments('id');
      t.string('slug', 64).notNullable().unique();
      t.string('name', 200).notNullable();
      t.string('host', 255).nullable().unique();
      t.integer('parent_id').unsigned().nullable().references('id').inTable('networks');
      t.string('join_policy', 20).notNullable().defaultTo('open');
      t.boolean('allow_guests').notNullable().defaultTo(false);
      t.string('theme', 64).notNullable().defaultTo('default');
      t.string('locale', 10).notNullable().defaultTo('en');
      t.bigInteger('created_at').notNullable();
      t.bigInteger('archived_at').nullable();
    });
    await db.schema.createTable('users', (t) => {
      t.increments('id');
      t.string('username', 64).notNullable();
      t.string('username_lower', 64).notNullable().unique();
      t.string('email', 254).notNullable();
      t.string('email_lower', 254).notNullable().unique();
      t.string('display_name', 200).notNullable();
      t.text('password_hash').nullable();
      t.string('locale', 10).nullable();
      t.string('status', 20).notNullable().defaultTo('active');
      t.boolean('is_root_admin').notNullable().defaultTo(false);
      t.bigInteger('email_verified_at').nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
    });
    await db.schema.createTable('memberships', (t) => {
      userIdColumn(t, 'user_id');
      networkIdColumn(t);
      t.string('role', 20).notNullable().defaultTo('member');
      t.bigInteger('created_at').notNullable();
      t.primary(['user_id', 'network_id']);
      t.index(['network_id', 'role']);
    });
    await db.schema.createTable('sessions', (t) => {
      t.string('id', 64).primary(); // sha256 of the cookie value
      userIdColumn(t, 'user_id');
      t.bigInteger('created_at').notNullable();
      t.bigInteger('last_seen_at').notNullable();
      t.bigInteger('expires_at').notNullable();
      t.string('ip', 64).nullable();
      t.string('user_agent', 300).nullable();
      t.index(['user_id']);
    });
    await db.schema.createTable('auth_tokens', (t) => {
      t.increments('id');
      t.integer('user_id').unsigned().nullable().references('id').inTable('users').onDelete('CASCADE');
      t.string('kind', 40).notNullable();
      t.string('token_hash', 64).notNullable().unique();
      t.text('data').nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('expires_at').nullable();
      t.bigInteger('used_at').nullable();
      t.index(['user_id', 'kind']);
    });
    await db.schema.createTable('plugin_state', (t) => {
      networkIdColumn(t);
      t.string('plugin_id', 64).notNullable();
      t.boolean('enabled').notNullable().defaultTo(false);
      t.text('settings').notNullable().defaultTo('{}');
      t.bigInteger('updated_at').notNullable();
      t.primary(['network_id', 'plugin_id']);
    });
    await db.schema.createTable('role_grants', (t) => {
      networkIdColumn(t);
      t.string('capability', 100).notNullable();
      t.string('role', 20).notNullable();
      t.boolean('granted').notNullable();
      t.primary(['network_id', 'capability', 'role']);
    });
    await db.schema.createTable('entities', (t) => {
      t.bigIncrements('id');
      t.string('type', 64).notNullable();
      t.integer('owner_id').unsigned().notNullable().references('id').inTable('users');
      t.bigInteger('container_id').unsigned().nullable().references('id').inTable('entities');
      t.integer('network_id').unsigned().notNullable().references('id').inTable('networks');
      t.string('access', 20).notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.bigInteger('deleted_at').nullable();
      t.index(['network_id', 'type', 'created_at']);
      t.index(['owner_id', 'created_at']);
      t.index(['container_id', 'created_at']);
    });
    await db.schema.createTable('activity', (t) => {
      t.bigIncrements('id');
      t.string('verb', 40).notNullable();
      t.integer('actor_id').unsigned().notNullable().references('id').inTable('users');
      t.bigInteger('entity_id').unsigned().notNullable().references('id').inTable('entities');
      t.integer('network_id').unsigned().notNullable().references('id').inTable('networks');
      t.bigInteger('created_at').notNullable();
      t.index(['network_id', 'id']);
      t.index(['actor_id', 'id']);
      t.index(['entity_id']);
    });
    await db('networks').insert({
      slug: 'root',
      name: 'Ruche',
      theme: 'default',
      locale: 'en',
      join_policy: 'open',
      allow_guests: false,
      created_at: now(),
    });
  },
  async down(db: Knex) {
    for (const table of [
      'activity',
      'entities',
      'role_grants',
      'plugin_state',
      'auth_tokens',
      'sessions',
      'memberships',
      'users',
      'networks',
      'core_settings',
    ]) {
      await db.schema.dropTableIfExists(table);
    }
  },
};
