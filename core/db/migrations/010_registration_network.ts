import type { Knex } from 'knex';
import type { Migration } from '../migration';

/**
 * The network a person applied to (`users.applied_network_id`): verification, approval and
 * activation happen under that network's policy only, whichever address the person later
 * uses. Existing accounts get the sub-network they belong to (the newest, when several), or
 * the root network.
 */
export const registrationNetwork: Migration = {
  name: '010_registration_network',
  async up(db: Knex) {
    await db.schema.alterTable('users', (t) => {
      t.integer('applied_network_id').unsigned().nullable();
      t.index(['applied_network_id', 'status'], 'users_applied_network_index');
    });
    const root: { id: number } | undefined = await db('networks').whereNull('parent_id').orderBy('id').first('id');
    if (!root) return;
    await db('users')
      .whereNull('applied_network_id')
      .update({
        applied_network_id: db.raw('coalesce((select max(m.network_id) from memberships m where m.user_id = users.id and m.network_id <> ?), ?)', [
          root.id,
          root.id,
        ]),
      });
  },
  async down(db: Knex) {
    await db.schema.alterTable('users', (t) => {
      t.dropIndex(['applied_network_id', 'status'], 'users_applied_network_index');
      t.dropColumn('applied_network_id');
    });
  },
};
