import { createTables, entityIdColumn, userIdColumn, type Migration } from '../migration';

/**
 * The relations the access model reads: friendship (written by the connections plugin,
 * both directions) and container membership (written by the groups plugin). The core
 * owns them so that one query clause decides visibility for every plugin.
 */
export const accessRelations: Migration = createTables('002_access_relations', {
  user_relations: (t) => {
    userIdColumn(t, 'user_id');
    userIdColumn(t, 'other_id');
    t.string('kind', 20).notNullable();
    t.bigInteger('created_at').notNullable();
    t.primary(['user_id', 'other_id', 'kind']);
    t.index(['other_id', 'kind']);
  },
  container_members: (t) => {
    entityIdColumn(t, 'container_id');
    userIdColumn(t, 'user_id');
    t.string('role', 20).notNullable().defaultTo('member');
    t.bigInteger('created_at').notNullable();
    t.primary(['container_id', 'user_id']);
    t.index(['user_id']);
  },
});
