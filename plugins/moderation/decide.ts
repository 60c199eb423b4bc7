/**
 * A reviewer's decision on a reported target, closing every open report on it in one
 * transaction:
 *  - dismiss: nothing wrong;
 *  - hide: the entity is withheld (the core's `withheld`, apart from the author's `published`),
 *    so the access model shows it to its author and the network's moderators only — feeds,
 *    search, notifications, emails, the API and realtime follow with no code of theirs — and
 *    an edit by its author never shows it again; `moderation_hidden` says why, for the mark;
 *  - approve: what was hidden or held for review (watched words) is shown again (as its author
 *    left it: a draft stays a draft);
 *  - delete: the entity is deleted (the core's soft delete: gone from every surface);
 *  - on a piece (a comment, a reply, a message: core/content/pieces.ts), hide, approve and
 *    delete go through its plugin's contract, in the same transaction;
 *  - warn: a message to the author citing the usage charter (`moderation_warnings`);
 *  - suspend, ban: the member concerned (the reported member or the author) is suspended
 *    (rt.suspensions) or banned from the network (rt.bans), in the transaction; the route has
 *    checked the viewer may, and the member's standing is checked again there (sanctions.ts):
 *    refused, nothing of the decision is kept.
 * The history's row (history.ts) and the audit entry are written in the same transaction: the
 * decision, its row and its entry commit together or not at all; the entry records the row's id
 * (`ref`), so the audit page links it to the decision's page (audit-links.ts).
 * A second submit finds nothing open and answers as the first did.
 */
import type { Knex } from 'knex';
import { auditAction, HttpError, pieceOf, removePiece, requireMember, withholdPiece, type RucheContext, type Runtime } from '../../core';
import { isFiledByRule, isPiece, MAX_WARNING, type Decision, type TargetType } from './constants';
import { recordDecision } from './history';
import { decisionsFor, heldState, openReports, scopedReports, type ReviewScope } from './queue';
import { isSanction, sanction as takeSanction, type SanctionInput } from './sanctions';

export interface DecisionInput {
  type: TargetType;
  id: number;
  decision: Decision;
  message: string;
  /** A suspension's or ban's reason and a suspension's period (sanctions.ts). */
  sanction?: SanctionInput;
}

export interface Decided {
  /** False when nothing was open any more (a double submit, or another reviewer was first). */
  done: boolean;
  outcome: Decision;
  authorId: number;
  reporterIds: number[];
  /** One of the closed reports, for the reporters' notification. */
  reportId: number;
  warningId: number | null;
}

/** Checks a warning's message: 1 to MAX_WARNING characters (i18n key of the problem, or null). */
export function warningProblem(message: string): string | null {
  const m = message.trim();
  if (!m) return 'moderation.errors.messageRequired';
  return m.length > MAX_WARNING ? 'moderation.errors.messageTooLong' : null;
}

export async function decide(ctx: RucheContext, scope: ReviewScope, input: DecisionInput, now = Date.now()): Promise<Decided> {
  const rt = ctx.ruche;
  const viewer = requireMember(ctx);
  return rt.db.transaction(async (trx): Promise<Decided> => {
    const open = (await openReports(rt, scope, input).transacting(trx)) as {
      id: number;
      reporter_id: number;
      target_user_id: number;
      reason: string;
      container_id: number | null;
    }[];
    const none: Decided = { done: false, outcome: input.decision, authorId: 0, reporterIds: [], reportId: 0, warningId: null };
    // Nothing open: decided already (answered as the first decision was), or never reported in this scope (404).
    if (!open.length) {
      if (await scopedReports(rt, scope, input).transacting(trx).first('id')) return none;
      throw new HttpError(404);
    }
    // Closing the reports first: of two reviewers deciding at once, the second closes nothing and stops here.
    const closed = await trx('moderation_reports')
      .whereIn(
        'id',
        open.map((r) => r.id),
      )
      .whereNull('resolved_at')
      .update({ resolved_at: now, outcome: input.decision, resolved_by: viewer.id });
    if (!closed) return none;
    // Read after the reports are closed, so that a decision racing this one has committed.
    const authorId = Number(open[0].target_user_id);
    const state = await targetState(rt, trx, input);
    if (!isSanction(input.decision) && !decisionsFor(input.type, state.deleted, state.hidden, state.held).includes(input.decision))
      throw new HttpError(409, 'moderation.errors.notPossible');
    let warningId: number | null = null;
    let sanction: { before: Record<string, unknown>; after: Record<string, unknown> } = { before: {}, after: {} };
    if (isPiece(input.type) && (input.decision === 'hide' || input.decision === 'approve')) {
      // A piece (a comment, a reply, a message): its plugin withholds it (core/content/pieces.ts).
      await withholdPiece(rt, input.type, input.id, input.decision === 'hide', trx);
    } else if (isPiece(input.type) && input.decision === 'delete') {
      await removePiece(rt, input.type, input.id, trx);
    } else if (input.decision === 'hide') {
      await rt.entities.update(input.id, { withheld: true }, trx);
      await trx('moderation_hidden')
        .insert({ entity_id: input.id, network_id: scope.networkId, hidden_by: viewer.id, hidden_at: now })
        .onConflict('entity_id')
        .ignore();
    } else if (input.decision === 'approve') {
      await rt.entities.update(input.id, { withheld: false }, trx);
      await trx('moderation_hidden').where({ entity_id: input.id }).delete();
    } else if (input.decision === 'delete') {
      await rt.entities.softDelete(input.id, trx);
    } else if (input.decision === 'warn') {
      const [row] = await trx('moderation_warnings')
        .insert({
          network_id: scope.networkId,
          user_id: authorId,
          target_type: input.type,
          target_id: input.id,
          message: input.message.trim(),
          created_by: viewer.id,
          created_at: now,
        })
        .returning('id');
      warningId = Number(typeof row === 'object' ? (row as { id: number }).id : row);
    } else if (isSanction(input.decision)) {
      sanction = await takeSanction(rt, trx, viewer, scope.networkId, authorId, input.decision, input.sanction ?? { reason: '', days: '0' }, now);
    }
    const after = await targetState(rt, trx, input);
    const decisionId = await recordDecision(trx, {
      networkId: scope.networkId,
      target: input,
      decision: input.decision,
      by: viewer.id,
      at: now,
      reports: open,
    });
    const before = { reports: open.length, ...audited(state), ...sanction.before };
    const afterAudit = { reports: 0, ...audited(after), ...(warningId ? { warning: input.message.trim() } : {}), ...sanction.after };
    await auditAction(
      ctx,
      { action: `moderation.${input.decision}`, objectType: input.type, objectId: input.id, before, after: afterAudit, ref: decisionId },
      trx,
    );
    return {
      done: true,
      outcome: input.decision,
      authorId,
      // The author standing for the watched words is not told the outcome of "their" report.
      reporterIds: [...new Set(open.filter((r) => !isFiledByRule(r.reason)).map((r) => Number(r.reporter_id)))],
      reportId: Number(open[0].id),
      warningId,
    };
  });
}

/** A target's state as the audit log says it: `held` only while it is. */
const audited = ({ held, ...state }: { deleted: boolean; hidden: boolean; held: boolean }) => (held ? { ...state, held } : state);

/** Whether the target entity or piece is deleted or hidden now (a member is neither). */
export async function targetState(
  rt: Runtime,
  trx: Knex.Transaction,
  target: { type: TargetType; id: number },
): Promise<{ deleted: boolean; hidden: boolean; held: boolean }> {
  if (isPiece(target.type)) {
    const piece = await pieceOf(rt, target.type, target.id, { db: trx });
    return { deleted: !piece || piece.deleted, hidden: !!piece?.withheld, held: false };
  }
  if (target.type !== 'entity') return { deleted: false, hidden: false, held: false };
  const e = (await trx('entities').where({ id: target.id }).first('deleted_at')) as { deleted_at: number | null } | undefined;
  const hidden = (await heldState(trx, [target.id])).get(target.id);
  return { deleted: !e || e.deleted_at !== null, hidden: hidden !== undefined, held: hidden === true };
}
