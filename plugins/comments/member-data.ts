/** The member's comments in their archive; they stay under "a former member" when the account is anonymised. */
import { memberDataHooks } from '../../core';

export const memberData = memberDataHooks('comments', {
  parts: [{ name: 'comments', table: 'comments', columns: ['author_id'] }],
});
