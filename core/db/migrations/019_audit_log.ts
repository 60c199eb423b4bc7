import { createTables, type Migration } from '../migration';

/**
 * The audit log (core/audit/audit-log.ts): one row per administrator or moderator action,
 * written by the core and by plugins. Rows outlive what they describe: the actor is kept by
 * id (set to null when the account goes) and by name, the network and object by id only.
 * Pages read the newest rows of one network first, keyset by id; the retention job deletes
 * by `created_at`.
 */
export const auditLog: Migration = createTables('019_audit_log', {
  audit_log: (t) => {
    t.bigIncrements('id').primary();
    t.integer('network_id').unsigned().nullable();
    t.integer('actor_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL');
    t.string('actor_name', 200).notNullable().defaultTo('');
    t.string('action', 100).notNullable();
    t.string('object_type', 50).notNullable().defaultTo('');
    t.string('object_id', 100).notNullable().defaultTo('');
    t.text('before').nullable();
    t.text('after').nullable();
    t.string('ip', 64).nullable();
    t.bigInteger('created_at').notNullable();
    t.index(['network_id', 'id'], 'audit_log_network_id_index');
    t.index(['actor_id', 'id'], 'audit_log_actor_id_index');
    t.index(['created_at'], 'audit_log_created_at_index');
  },
});
