import { createTables, type Migration } from '../migration';

/**
 * Webhooks (core/webhooks): a network's subscriptions of a URL to events, and the deliveries
 * made to them.
 * - `webhooks`: the URL, the events (JSON list of names), the signing secret, who made it
 *   (`owner`: `admin`, or the id of the plugin that subscribed it), whether it is active.
 * - `webhook_deliveries`: one event sent to one webhook — its body exactly as signed, the
 *   state (`pending`, `delivered`, `retrying`, `failed`, `cancelled`), the attempts made and
 *   the last answer (HTTP status, duration, a bounded excerpt, or the error).
 */
export const webhooks: Migration = createTables('028_webhooks', {
  webhooks: (t) => {
    t.increments('id').primary();
    t.integer('network_id').notNullable().references('networks.id').onDelete('CASCADE');
    t.string('url', 2000).notNullable();
    t.text('events').notNullable();
    t.string('secret', 100).notNullable();
    t.string('owner', 100).notNullable().defaultTo('admin');
    t.string('description', 200).notNullable().defaultTo('');
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('created_by').nullable().references('users.id').onDelete('SET NULL');
    t.bigInteger('created_at').notNullable();
    t.index(['network_id', 'active']);
  },
  webhook_deliveries: (t) => {
    t.increments('id').primary();
    t.integer('webhook_id').notNullable().references('webhooks.id').onDelete('CASCADE');
    t.string('event', 100).notNullable();
    t.text('body').notNullable();
    t.string('status', 20).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('response_status').nullable();
    t.integer('duration_ms').nullable();
    t.text('response_excerpt').nullable();
    t.string('error', 500).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('attempted_at').nullable();
    t.index(['webhook_id', 'id']);
  },
});
