import { addIndex, type Migration } from '../migration';
import { VISIBLE_COUNT_INDEX } from './access-flag';

/**
 * Counting what a viewer may see of one kind in a network (the group directory's total:
 * 20,000 groups in the benchmark) reads only this index: every column the access clause
 * tests is in it, so no entity row is fetched.
 */
export const entityCountsIndex: Migration = addIndex('009_entity_counts_index', 'entities', VISIBLE_COUNT_INDEX, [
  'network_id',
  'type',
  'access',
  'deleted_at',
  'owner_id',
  'container_id',
]);
