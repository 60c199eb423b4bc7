/** The member's notifications and email choices: in their archive; removed when their account is kept anonymised. */
import { memberDataHooks } from '../../core';

export const memberData = memberDataHooks('notifications', {
  parts: [
    { name: 'received', table: 'notifications', columns: ['user_id'] },
    { name: 'preferences', table: 'notification_prefs', columns: ['user_id'] },
  ],
  personal: [
    ['notifications', 'user_id'],
    ['notifications', 'actor_id'],
    ['notification_prefs', 'user_id'],
  ],
});
