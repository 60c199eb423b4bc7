/** The groups the member founded, their requests and invitations in their archive; requests and invitations go when the account is anonymised. */
import { memberDataHooks } from '../../core';

export const memberData = memberDataHooks('groups', {
  parts: [
    { name: 'founded', table: 'groups', entity: 'entity_id', select: ['entity_id', 'name', 'handle', 'description', 'category', 'visibility'] },
    { name: 'requests', table: 'group_requests', columns: ['user_id'] },
    { name: 'invitations', table: 'group_invitations', columns: ['user_id', 'inviter_id'] },
  ],
  personal: [
    ['group_requests', 'user_id'],
    ['group_invitations', 'user_id'],
    ['group_invitations', 'inviter_id'],
  ],
});
