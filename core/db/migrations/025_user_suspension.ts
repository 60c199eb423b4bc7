import { addColumns } from '../migration';

/**
 * A suspension says why and until when (core/auth/suspensions.ts): `users.suspension_reason`
 * and `users.suspended_until` (ms; null: until an administrator reactivates the account),
 * both null unless the account is suspended. `users.last_active_at` (ms) is the last time
 * the member used a session, written with the session's own last-seen time; the members
 * console filters and sorts on it.
 */
export const userSuspension = addColumns('025_user_suspension', 'users', {
  suspension_reason: (t, c) => t.string(c, 500).nullable(),
  suspended_until: (t, c) => t.bigInteger(c).nullable(),
  last_active_at: (t, c) => t.bigInteger(c).nullable(),
});
