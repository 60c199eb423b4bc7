/**
 * Restoring from the history: a hidden entity or piece (a comment, a reply, a message, through
 * the core's pieces contract) is shown again as its author left it, from the decision that hid
 * it. In one transaction: the decision is marked restored (once: of two submits, the second
 * finds it done and answers as the first did), the target shown again, an `approve` decision
 * naming the hide it undid written to the history (`recordDecision`) and the audit entry
 * (`moderation.restore`). Deleted content cannot be
 * restored (a 409 saying so), nor content no longer hidden.
 */
import { auditAction, HttpError, requireMember, withholdPiece, type RucheContext } from '../../core';
import { isPiece } from './constants';
import { targetState } from './decide';
import { decisions, recordDecision } from './history';
import type { ReviewScope } from './queue';

/** Restores the target of decision `id` of the scope; false when it was restored already (a double submit). */
export async function restore(ctx: RucheContext, scope: ReviewScope, id: number, now = Date.now()): Promise<boolean> {
  const rt = ctx.ruche;
  const viewer = requireMember(ctx);
  return rt.db.transaction(async (trx) => {
    const row = await decisions(ctx).find(scope, id, trx);
    if (!row) throw new HttpError(404);
    if (row.decision !== 'hide') throw new HttpError(409, 'moderation.errors.notRestorable');
    // Claiming the decision first: of two submits at once, the second claims nothing and stops here.
    const claimed = await trx('moderation_decisions').where({ id }).whereNull('restored_at').update({ restored_at: now, restored_by: viewer.id });
    if (!claimed) return false;
    const target = { type: row.target_type, id: Number(row.target_id) };
    const state = await targetState(rt, trx, target);
    if (state.deleted) throw new HttpError(409, 'moderation.errors.restoreDeleted');
    if (!state.hidden || state.held) throw new HttpError(409, 'moderation.errors.notHidden');
    if (isPiece(target.type)) await withholdPiece(rt, target.type, target.id, false, trx);
    else {
      await rt.entities.update(target.id, { withheld: false }, trx);
      await trx('moderation_hidden').where({ entity_id: target.id }).delete();
    }
    const restoreId = await recordDecision(trx, {
      networkId: Number(row.network_id),
      target,
      decision: 'approve',
      by: viewer.id,
      at: now,
      reports: [],
      restores: row,
    });
    await auditAction(
      ctx,
      {
        action: 'moderation.restore',
        objectType: target.type,
        objectId: target.id,
        before: { decision: Number(row.id), hidden: true },
        after: { hidden: false },
        ref: restoreId,
      },
      trx,
    );
    return true;
  });
}
