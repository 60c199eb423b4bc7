/**
 * The member's comments in their archive; they stay under "a former member" when the account is
 * anonymised. When it is erased, each comment is deleted as its author would (empty, counted no
 * more) and given to the former-member account, so the replies others wrote under it stay in place.
 */
import { erased, memberDataHooks } from '../../core';
import { bump } from './rows';

export const memberData = memberDataHooks('comments', {
  parts: [{ name: 'comments', table: 'comments', columns: ['author_id'] }],
  async erasing(report, { rt, userId, mode, formerMemberId }) {
    if (mode !== 'erase') return report;
    const n = await rt.db.transaction(async (trx) => {
      const live = await trx('comments').where({ author_id: userId }).whereNull('deleted_at').select('id', 'entity_id');
      for (const c of live) await bump(trx, Number(c.entity_id), -1);
      await trx('comments').where({ author_id: userId }).update({ author_id: formerMemberId, body: '', deleted_at: Date.now() });
      // Their words leave the search index with them.
      const entities = [...new Set(live.map((c) => Number(c.entity_id)))];
      for (let i = 0; i < entities.length; i += 500) await rt.entities.textChanged(entities.slice(i, i + 500), trx);
      return live.length;
    });
    return erased(report, 'comments', n);
  },
});
