import { addIndex, type Migration } from '../migration';

/**
 * Indexes the benchmark at real size (`npm run bench`) showed missing: pinned
 * announcements of a network are found by `pinned_until` instead of reading every entity.
 */
export const performanceIndexes: Migration = addIndex('008_performance_indexes', 'entities', 'entities_network_pinned_index', [
  'network_id',
  'pinned_until',
]);
