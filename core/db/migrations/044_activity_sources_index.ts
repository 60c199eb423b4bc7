import type { Knex } from 'knex';
import { createIndex, dropIndex, type Migration } from '../migration';

const OLD = { name: 'activity_network_id_id_index', columns: ['network_id', 'id'] };
const NEW = { name: 'activity_network_id_id_sources_index', columns: ['network_id', 'id', 'actor_id', 'entity_id', 'container_id'] };

/**
 * The home feed's river (issue 18) walks a network's acts newest first and keeps those of the
 * member's sources (their own, people they follow or are connected to, their groups, what they
 * own or are mentioned in): about 700 acts for 61 on the bench site. With the act's actor,
 * entity and container in the index beside `(network_id, id)`, SQLite tests the sources on the
 * index entry and reads the table row only for the acts it keeps. It replaces `(network_id,
 * id)`, its prefix: every read that used that index can use this one; the count of indexes on
 * `activity` is unchanged. The new index is built before the old one goes.
 */
export const activitySourcesIndex: Migration = {
  name: '044_activity_sources_index',
  async up(db: Knex) {
    await createIndex(db, 'activity', NEW.name, NEW.columns);
    await dropIndex(db, 'activity', OLD.name, OLD.columns);
  },
  async down(db: Knex) {
    await createIndex(db, 'activity', OLD.name, OLD.columns);
    await dropIndex(db, 'activity', NEW.name, NEW.columns);
  },
};
