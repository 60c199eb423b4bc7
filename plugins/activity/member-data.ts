/** The member's status posts and followed tags in their archive; followed tags go when the account is anonymised. */
import { memberDataHooks } from '../../core';

export const memberData = memberDataHooks('activity', {
  parts: [
    { name: 'statuses', table: 'status_posts', entity: 'entity_id' },
    { name: 'followed-tags', table: 'tag_follows', columns: ['user_id'] },
  ],
  personal: [['tag_follows', 'user_id']],
});
