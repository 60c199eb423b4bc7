/** Whom the member follows and who follows them, and connection requests: in their archive; removed when their account is kept anonymised. */
import { memberDataHooks } from '../../core';

export const memberData = memberDataHooks('connections', {
  parts: [
    { name: 'follows', table: 'follows', columns: ['follower_id', 'followee_id'], personal: true },
    { name: 'requests', table: 'connection_requests', columns: ['from_id', 'to_id'], personal: true },
  ],
});
