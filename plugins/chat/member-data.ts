/** Chat keeps only presence (who is online): nothing to archive, removed when the account is kept anonymised. */
import { memberDataHooks } from '../../core';

export const memberData = memberDataHooks('chat', { personal: [['chat_presence', 'user_id']] });
