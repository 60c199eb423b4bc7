/** The member's notifications and email choices: in their archive; removed when their account is kept anonymised. */
import { memberDataHooks } from '../../core';

export const memberData = memberDataHooks('notifications', {
  parts: [
    { name: 'received', table: 'notifications', columns: ['user_id'], personal: true },
    { name: 'preferences', table: 'notification_prefs', columns: ['user_id'], personal: true },
  ],
  // The notifications the member caused in others' lists name them too.
  personal: [['notifications', 'actor_id']],
});
