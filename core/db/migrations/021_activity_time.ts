import { addIndex, type Migration } from '../migration';

/**
 * The activity of one network over a span of time (`network_id`, `created_at`): the daily
 * rollups of the analytics plugin read one day of a network's acts at a time; without this
 * index each day read the whole river (1.3 million rows on the bench network).
 */
export const activityTime: Migration = addIndex('021_activity_time', 'activity', 'activity_network_time_index', ['network_id', 'created_at']);
