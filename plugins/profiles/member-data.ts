/** A member's profile in their archive; removed when their account is kept anonymised (core/members/). */
import { memberDataHooks } from '../../core';

export const memberData = memberDataHooks('profiles', {
  parts: [
    { name: 'profile', table: 'profiles', columns: ['user_id'] },
    { name: 'fields', table: 'profile_values', columns: ['user_id'] },
  ],
  personal: [
    ['profile_values', 'user_id'],
    ['profiles', 'user_id'],
  ],
});
