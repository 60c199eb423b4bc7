import { addColumns } from '../migration';

/**
 * A member's time zone is core data (core/time-zones.ts), set on the account page and used
 * by every plugin that reads or shows a time for them: `users.time_zone`, an IANA name, null
 * until chosen. The notifications plugin's own migration copies the zones it kept here.
 */
export const userTimeZone = addColumns('018_user_time_zone', 'users', { time_zone: (t, c) => t.string(c, 64).nullable() });
