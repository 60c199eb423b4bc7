import type { Knex } from 'knex';
import type { Migration } from '../migration';

/**
 * Who sent each invitation (`auth_tokens.created_by`): the daily cap on invitations per
 * member counts the stored rows, so it holds across processes and restarts.
 */
export const invitationSenders: Migration = {
  name: '012_invitation_senders',
  async up(db: Knex) {
    await db.schema.alterTable('auth_tokens', (t) => {
      t.integer('created_by').unsigned().nullable();
      t.index(['created_by', 'kind', 'created_at'], 'auth_tokens_created_by_index');
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('auth_tokens', (t) => {
      t.dropIndex(['created_by', 'kind', 'created_at'], 'auth_tokens_created_by_index');
      t.dropColumn('created_by');
    });
  },
};
