/** A member's codes, switch, opened codes and meetings: in their archive; removed when their account is kept anonymised. */
import { memberDataHooks } from '../../core';

export const memberData = memberDataHooks('connect', {
  parts: [
    { name: 'codes', table: 'connect_codes', columns: ['user_id'] },
    { name: 'off', table: 'connect_off', columns: ['user_id'] },
    { name: 'scans', table: 'connect_scans', columns: ['scanner_id', 'owner_id'] },
    { name: 'met', table: 'connect_met', columns: ['user_id', 'other_id'] },
  ],
  personal: [
    ['connect_codes', 'user_id'],
    ['connect_off', 'user_id'],
    ['connect_scans', 'scanner_id'],
    ['connect_scans', 'owner_id'],
    ['connect_met', 'user_id'],
    ['connect_met', 'other_id'],
  ],
});
