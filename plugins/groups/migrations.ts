import { addColumns, createTables, entityIdColumn, entityKeyColumn, networkIdColumn, userIdColumn, type Migration } from '../../core';
import { memberCountsMigration } from './member-counts';

/**
 * Groups (keyed by their entity), join requests and invitations. Membership itself is the
 * core's `container_members` table, which the access model reads for the `group` level.
 * `handle` is the lowercase `@name` of the group, unique per network.
 */
export const migrations: Migration[] = [
  createTables('001_groups', {
    groups: (t) => {
      entityKeyColumn(t);
      networkIdColumn(t);
      t.string('name', 80).notNullable();
      t.string('name_lower', 80).notNullable();
      t.string('handle', 64).notNullable();
      t.text('description').notNullable();
      t.text('description_html').notNullable();
      t.string('cover_key', 40).nullable();
      t.string('category', 20).notNullable();
      t.string('visibility', 10).notNullable();
      t.bigInteger('archived_at').nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.unique(['network_id', 'handle']);
      t.index(['network_id', 'name_lower']);
    },
    group_requests: (t) => {
      t.increments('id');
      entityIdColumn(t, 'group_id');
      userIdColumn(t, 'user_id');
      t.bigInteger('created_at').notNullable();
      t.unique(['group_id', 'user_id']);
      t.index(['user_id']);
    },
    group_invitations: (t) => {
      t.increments('id');
      entityIdColumn(t, 'group_id');
      userIdColumn(t, 'user_id');
      userIdColumn(t, 'inviter_id');
      t.bigInteger('created_at').notNullable();
      t.unique(['group_id', 'user_id']);
      t.index(['user_id']);
    },
  }),
  /**
   * An accepted invitation stays, marked `accepted_at`, while its invitee is a member: a
   * second accept of the same invitation (a double click, simultaneous submits) finds it
   * and answers as the first did instead of a 404. Only rows without it are pending.
   */
  addColumns('002_invitation_accepted_at', 'group_invitations', { accepted_at: (t, c) => t.bigInteger(c).nullable() }),
  memberCountsMigration,
];
