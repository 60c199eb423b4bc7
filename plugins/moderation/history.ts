/**
 * The queue's history: every decision taken in a network (dismissed, hidden, deleted, warned,
 * published again, suspended, banned), newest first, keyset paged, for the network's reviewers
 * and, for their group's content only, a group's admins; filtered by decision and by kind (the
 * entity's type, the piece's kind, or `member`). Each says who decided what and when, the
 * reasons of the reports it closed and the content in context where it still exists. A row is
 * written by the decision itself, in its transaction (decide.ts).
 */
import type { Knex } from 'knex';
import { personCards, readKeyset, type KeysetCursor, type KeysetPage, type RucheContext, type Runtime } from '../../core';
import { type TargetType } from './constants';
import { countReasons, targetContents, type ReviewScope, type TargetState } from './queue';

/** What the history lists, one row per decision. */
export interface DecisionRow {
  id: number;
  network_id: number;
  container_id: number | null;
  target_type: TargetType;
  target_id: number;
  target_user_id: number;
  kind: string;
  decision: string;
  reasons: string;
  reports: number;
  decided_by: number;
  decided_at: number;
  restored_by: number | null;
  restored_at: number | null;
  /** A restore (restore.ts): the hide decision it undid. */
  restores_id: number | null;
}

/** The history's order: newest decision first, the id breaking ties. */
const ORDER = [
  { sql: 'decided_at', desc: true },
  { sql: 'id', desc: true },
] as const;
export const HISTORY_CURSOR = ['int', 'int'] as const;
export const HISTORY_PAGE = 20;

/**
 * Writes the decision on a target, in the decision's transaction: the one writer of the history's
 * rows. A decision from the queue carries the reasons of the reports it closed; a restore from
 * the history (`restores`: the hide it undid) closes none and names that hide. Answers its id
 * (the decision's audit entry records it: `ref`, for the audit page's link).
 */
export async function recordDecision(
  trx: Knex.Transaction,
  d: {
    networkId: number;
    target: { type: TargetType; id: number };
    decision: string;
    by: number;
    at: number;
    reports: { reason: string; target_user_id: number; container_id: number | null }[];
    restores?: DecisionRow;
  },
): Promise<number> {
  const first = d.restores ?? d.reports[0];
  const kind =
    d.restores?.kind ??
    (d.target.type === 'entity'
      ? (((await trx('entities').where({ id: d.target.id }).first('type')) as { type: string } | undefined)?.type ?? 'entity')
      : d.target.type);
  const [row] = await trx('moderation_decisions')
    .insert({
      network_id: d.networkId,
      container_id: first?.container_id ?? null,
      target_type: d.target.type,
      target_id: d.target.id,
      target_user_id: Number(first?.target_user_id ?? 0),
      kind,
      decision: d.decision,
      reasons: JSON.stringify(countReasons(d.reports)),
      reports: d.reports.length,
      decided_by: d.by,
      decided_at: d.at,
      restores_id: d.restores ? Number(d.restores.id) : null,
    })
    .returning('id');
  return Number(typeof row === 'object' ? (row as { id: number }).id : row);
}

/** The history's reads of `moderation_decisions` (its rows are written by `recordDecision`). */
export class DecisionsService {
  static readonly uses = ['db'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof DecisionsService.uses)[number]>) {}

  /** The decisions of the scope, filtered by what was decided and the kind of target. */
  scoped(scope: ReviewScope, filter: { decision?: string; kind?: string } = {}, db: Knex = this.rt.db): Knex.QueryBuilder {
    const q = db('moderation_decisions').where({ network_id: scope.networkId });
    if (!scope.all) q.whereIn('container_id', scope.containerIds);
    if (filter.decision) q.where({ decision: filter.decision });
    if (filter.kind) q.where({ kind: filter.kind });
    return q;
  }

  /** Decision `id` of the scope (read in `db`, a transaction), or undefined. */
  async find(scope: ReviewScope, id: number, db: Knex = this.rt.db): Promise<DecisionRow | undefined> {
    return (await this.scoped(scope, {}, db).where({ id }).first()) as DecisionRow | undefined;
  }

  /** The kinds of target decided in the scope (for the filter), sorted. */
  async kinds(scope: ReviewScope): Promise<string[]> {
    const rows = (await this.scoped(scope).distinct('kind')) as { kind: string }[];
    return rows.map((r) => r.kind).sort();
  }

  /** The restores of these hide decisions: the restore's id by the hide's. */
  async restoresOf(hideIds: readonly number[]): Promise<Map<number, number>> {
    if (!hideIds.length) return new Map();
    const rows = (await this.rt
      .db('moderation_decisions')
      .whereIn('restores_id', [...hideIds])
      .select('id', 'restores_id')) as {
      id: number;
      restores_id: number;
    }[];
    return new Map(rows.map((r) => [Number(r.restores_id), Number(r.id)]));
  }
}

export const decisions = (ctx: RucheContext): DecisionsService => ctx.ruche.container.resolve(DecisionsService);

/** Whether a decision of the history may be restored now: a hide not restored yet, its target hidden (not held) and not deleted. */
export const restorable = (
  row: { decision: string; restored_at: number | null },
  now: { deleted: boolean; hidden: boolean; held: boolean },
): boolean => row.decision === 'hide' && row.restored_at === null && now.hidden && !now.held && !now.deleted;

/** A decision as the history shows it. */
export interface HistoryItem {
  key: string;
  id: number;
  type: TargetType;
  targetId: number;
  kind: string;
  decision: string;
  decidedAt: number;
  decidedBy: { displayName: string; href: string | null };
  author: { displayName: string; href: string | null };
  reports: number;
  reasons: { reason: string; count: number }[];
  /** The target now: its content in context (null for a member, or content gone for good) and its state. */
  now: TargetState;
  /** A hide shown again from the history: by whom, when, and the restore's decision (null: restored before restores were recorded). */
  restored: { by: { displayName: string; href: string | null }; at: number; id: number | null } | null;
  /** A restore: the id of the hide it undid (decidedBy and decidedAt say who restored and when). */
  restores: number | null;
  /** Whether it may be restored now (restore.ts). */
  restorable: boolean;
}

/** One page of the scope's decisions, newest first, with who decided and the content in context. */
export async function historyPage(
  ctx: RucheContext,
  scope: ReviewScope,
  filter: { decision?: string; kind?: string },
  cursor: KeysetCursor,
  limit = HISTORY_PAGE,
): Promise<KeysetPage<HistoryItem>> {
  const page = await readKeyset<DecisionRow>(decisions(ctx).scoped(scope, filter).select('*'), ORDER, cursor, limit, (r) => [
    Number(r.decided_at),
    Number(r.id),
  ]);
  return { items: await historyItems(ctx, page.items), prev: page.prev, next: page.next };
}

/** Decision `id` of the scope as the history shows it (its permalink's page), or undefined when the scope has no such decision. */
export async function historyDecision(ctx: RucheContext, scope: ReviewScope, id: number): Promise<HistoryItem | undefined> {
  const row = await decisions(ctx).find(scope, id);
  return row ? (await historyItems(ctx, [row]))[0] : undefined;
}

/** These decisions as the history shows them: who decided, the content in context now, the restore of a hide (one read per list). */
async function historyItems(ctx: RucheContext, rows: DecisionRow[]): Promise<HistoryItem[]> {
  const restoredHides = rows.filter((r) => r.decision === 'hide' && r.restored_at !== null).map((r) => Number(r.id));
  const [contents, people, restoreOf] = await Promise.all([
    targetContents(ctx, rows),
    personCards(
      ctx,
      rows.flatMap((r) => [Number(r.decided_by), Number(r.target_user_id), Number(r.restored_by ?? 0)]),
    ),
    decisions(ctx).restoresOf(restoredHides),
  ]);
  const card = (id: number) => ({ displayName: people.get(id)?.displayName ?? '?', href: people.get(id)?.href ?? null });
  return rows.map((r): HistoryItem => {
    const key = `${r.target_type}-${Number(r.target_id)}`;
    const now = contents.get(key) ?? { content: null, deleted: r.target_type !== 'member', hidden: false, held: false };
    return {
      key,
      id: Number(r.id),
      type: r.target_type,
      targetId: Number(r.target_id),
      kind: r.kind,
      decision: r.decision,
      decidedAt: Number(r.decided_at),
      decidedBy: card(Number(r.decided_by)),
      author: card(Number(r.target_user_id)),
      reports: Number(r.reports),
      reasons: JSON.parse(r.reasons) as { reason: string; count: number }[],
      now,
      restored:
        r.restored_at === null ? null : { by: card(Number(r.restored_by)), at: Number(r.restored_at), id: restoreOf.get(Number(r.id)) ?? null },
      restores: r.restores_id === null || r.restores_id === undefined ? null : Number(r.restores_id),
      restorable: restorable(r, now),
    };
  });
}
