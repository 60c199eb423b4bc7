/** The member's reactions in their archive; an anonymised account's reactions stay (counted, shown as from a former member). */
import { memberDataHooks } from '../../core';

export const memberData = memberDataHooks('likes', {
  parts: [{ name: 'reactions', table: 'reactions', columns: ['user_id'] }],
});
