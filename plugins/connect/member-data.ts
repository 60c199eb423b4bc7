/** A member's codes, switch, opened codes and meetings: in their archive; removed when their account is kept anonymised. */
import { memberDataHooks } from '../../core';

export const memberData = memberDataHooks('connect', {
  parts: [
    { name: 'codes', table: 'connect_codes', columns: ['user_id'], personal: true },
    { name: 'off', table: 'connect_off', columns: ['user_id'], personal: true },
    { name: 'scans', table: 'connect_scans', columns: ['scanner_id', 'owner_id'], personal: true },
    { name: 'met', table: 'connect_met', columns: ['user_id', 'other_id'], personal: true },
  ],
});
