import { createTables, type Migration } from '../migration';

/**
 * `api_rate_windows`: the JSON API's request counts when several processes serve the port
 * (`ruche start --workers N`, core/http/api/rate-limit.ts): one row per caller (a token, a
 * member or an address) and one-minute window (its start, ms), counted by every process. A
 * caller's ended windows go when its next one starts.
 */
export const apiRateWindows: Migration = createTables('031_api_rate_windows', {
  api_rate_windows: (t) => {
    t.string('caller', 120).notNullable();
    t.bigInteger('window_start').notNullable();
    t.integer('count').notNullable();
    t.primary(['caller', 'window_start']);
  },
});
