/**
 * The idea box: ideas are `idea` entities in a network or a group (`commentable`: the comments
 * plugin shows their thread), voted up (or up and down, as the network's settings say) with an
 * optional budget of open votes per member and box; managers (moderators, the group's admins)
 * set a status with a reply. The only database access of the idea box.
 */
import type { Knex } from 'knex';
import {
  containerRole,
  keysetOrder,
  readPage,
  type AccessLevel,
  type EntityRow,
  type KeysetCursor,
  type KeysetOrder,
  type KeysetPage,
  type Runtime,
  type Viewer,
} from '../../core';

export const IDEA = 'idea';
export const IDEA_STATUSES = ['new', 'review', 'planned', 'done', 'declined'] as const;
export type IdeaStatus = (typeof IDEA_STATUSES)[number];
/** Statuses whose votes no longer count against a budget. */
const SETTLED: IdeaStatus[] = ['done', 'declined'];
export const IDEAS_PAGE = 20;
export const IDEA_SORTS = ['votes', 'newest'] as const;
export type IdeaSort = (typeof IDEA_SORTS)[number];

/**
 * A box's orders, the id breaking ties, and their cursors' parts: most votes first (the score,
 * then newest), or newest first. A page starts after the score and id of the last idea listed,
 * so an idea whose votes changed between two pages is listed where its score now puts it: one
 * that rose above the cursor is not shown again, one that fell below it may be; an unchanged
 * list repeats or skips none.
 */
export const IDEA_ORDERS: Record<IdeaSort, KeysetOrder<IdeaRow>> = {
  votes: keysetOrder(
    ['int', 'int'],
    [
      { sql: 'i.score', desc: true },
      { sql: 'e.id', desc: true },
    ],
    (i: IdeaRow) => [i.score, i.entity_id],
  ),
  newest: keysetOrder(['int'], [{ sql: 'e.id', desc: true }], (i: IdeaRow) => [i.entity_id]),
};

export interface IdeaRow {
  entity_id: number;
  title: string;
  body: string;
  status: IdeaStatus;
  reply: string | null;
  status_at: number | null;
  up: number;
  down: number;
  score: number;
  owner_id: number;
  network_id: number;
  container_id: number | null;
  created_at: number;
}

export type IdeaVoteOutcome = 'counted' | 'changed' | 'withdrawn' | 'same' | 'overBudget';

const ideaOf = (r: Record<string, unknown>): IdeaRow => ({
  entity_id: Number(r.entity_id),
  title: String(r.title),
  body: String(r.body),
  status: String(r.status) as IdeaStatus,
  reply: r.reply === null ? null : String(r.reply),
  status_at: r.status_at === null ? null : Number(r.status_at),
  up: Number(r.up),
  down: Number(r.down),
  score: Number(r.score),
  owner_id: Number(r.owner_id),
  network_id: Number(r.network_id),
  container_id: r.container_id === null ? null : Number(r.container_id),
  created_at: Number(r.created_at),
});

const COLUMNS = ['i.*', 'e.owner_id', 'e.network_id', 'e.container_id', 'e.created_at'];

export class IdeasService {
  static readonly uses = ['db', 'access', 'entities'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof IdeasService.uses)[number]>) {}

  async create(
    ownerId: number,
    where: { networkId: number; containerId: number | null; access: AccessLevel },
    input: { title: string; body: string },
  ): Promise<number> {
    return this.rt.db.transaction(async (trx) => {
      const id = await this.rt.entities.create(
        { type: IDEA, ownerId, networkId: where.networkId, access: where.access, containerId: where.containerId },
        trx,
      );
      await trx('polls_ideas').insert({ entity_id: id, title: input.title, body: input.body, status: 'new' });
      return id;
    });
  }

  /** The idea of `id` with its entity when the viewer may see it; else 404 / 401. */
  async seen(viewer: Viewer | null, id: number): Promise<{ idea: IdeaRow; entity: EntityRow }> {
    const entity = id > 0 ? await this.rt.entities.get(id) : undefined;
    const row =
      entity?.type === IDEA
        ? await this.rt.db('polls_ideas as i').join('entities as e', 'e.id', 'i.entity_id').where('i.entity_id', id).first(COLUMNS)
        : undefined;
    await this.rt.access.requireVisible(viewer, row ? entity : undefined);
    return { idea: ideaOf(row as Record<string, unknown>), entity: entity! };
  }

  /** One page of a box's ideas the viewer may see, in `o.sort`'s order (IDEA_ORDERS), of one status or all. */
  async list(
    viewer: Viewer | null,
    box: { networkId: number; containerId: number | null },
    o: { sort: IdeaSort; status: IdeaStatus | null; cursor: KeysetCursor },
  ): Promise<KeysetPage<IdeaRow>> {
    const q = this.rt
      .db('polls_ideas as i')
      .join('entities as e', 'e.id', 'i.entity_id')
      .where('e.network_id', box.networkId)
      .modify(this.rt.access.visibleTo(viewer, 'e'));
    if (box.containerId === null) q.whereNull('e.container_id');
    else q.where('e.container_id', box.containerId);
    if (o.status) q.where('i.status', o.status);
    return readPage(q.select(COLUMNS), IDEA_ORDERS[o.sort], o.cursor, IDEAS_PAGE, async (built) =>
      ((await built) as Record<string, unknown>[]).map(ideaOf),
    );
  }

  /** The member's vote (+1 / -1) on each of these ideas. */
  async myVotes(userId: number | undefined, ids: number[]): Promise<Map<number, number>> {
    if (!userId || !ids.length) return new Map();
    const rows = (await this.rt.db('polls_idea_votes').where({ user_id: userId }).whereIn('idea_id', ids)) as { idea_id: number; value: number }[];
    return new Map(rows.map((r) => [Number(r.idea_id), Number(r.value)]));
  }

  /** Votes the member holds on open ideas of this box (what a budget counts). */
  async votesUsed(userId: number, box: { networkId: number; containerId: number | null }, trx: Knex = this.rt.db): Promise<number> {
    const q = trx('polls_idea_votes as v')
      .join('polls_ideas as i', 'i.entity_id', 'v.idea_id')
      .join('entities as e', 'e.id', 'i.entity_id')
      .where('v.user_id', userId)
      .where('e.network_id', box.networkId)
      .whereNull('e.deleted_at')
      .whereNotIn('i.status', SETTLED);
    if (box.containerId === null) q.whereNull('e.container_id');
    else q.where('e.container_id', box.containerId);
    const row = await q.count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }

  /**
   * Sets the member's vote on an idea: +1, -1, or 0 to withdraw it. The same vote again (a double
   * submit) changes nothing; a new vote past the budget (0: none) is refused.
   */
  async vote(userId: number, idea: IdeaRow, value: -1 | 0 | 1, budget: number): Promise<IdeaVoteOutcome> {
    return this.rt.db.transaction(async (trx) => {
      const box = { networkId: idea.network_id, containerId: idea.container_id };
      const before = (await trx('polls_idea_votes').where({ idea_id: idea.entity_id, user_id: userId }).first('value')) as
        { value: number } | undefined;
      const old = before ? Number(before.value) : 0;
      if (old === value) return 'same';
      if (value === 0) {
        const gone = await trx('polls_idea_votes').where({ idea_id: idea.entity_id, user_id: userId, value: old }).delete();
        if (!gone) return 'same';
        await this.move(trx, idea.entity_id, old, -1);
        return 'withdrawn';
      }
      if (old === 0) {
        if (budget > 0 && !SETTLED.includes(idea.status) && (await this.votesUsed(userId, box, trx)) >= budget) return 'overBudget';
        const made = await trx('polls_idea_votes')
          .insert({ idea_id: idea.entity_id, user_id: userId, value })
          .onConflict(['idea_id', 'user_id'])
          .ignore()
          .returning('user_id');
        if (!made.length) return 'same';
        await this.move(trx, idea.entity_id, value, 1);
        return 'counted';
      }
      const changed = await trx('polls_idea_votes').where({ idea_id: idea.entity_id, user_id: userId, value: old }).update({ value });
      if (!changed) return 'same';
      await this.move(trx, idea.entity_id, old, -1);
      await this.move(trx, idea.entity_id, value, 1);
      return 'changed';
    });
  }

  /** Adds (`by` 1) or takes away (-1) one vote of `value` from an idea's counters. */
  private async move(trx: Knex, ideaId: number, value: number, by: 1 | -1): Promise<void> {
    const column = value > 0 ? 'up' : 'down';
    await trx('polls_ideas')
      .where({ entity_id: ideaId })
      .update({ [column]: trx.raw(`${column} + ?`, [by]), score: trx.raw('score + ?', [value * by]) });
  }

  /** Sets the status and reply; answers whether the status changed (then its voters are told). */
  async setStatus(idea: IdeaRow, status: IdeaStatus, reply: string): Promise<boolean> {
    const changed = await this.rt
      .db('polls_ideas')
      .where({ entity_id: idea.entity_id })
      .whereNot({ status })
      .update({ status, reply: reply || null, status_at: Date.now() });
    if (!changed)
      await this.rt
        .db('polls_ideas')
        .where({ entity_id: idea.entity_id })
        .update({ reply: reply || null });
    return changed > 0;
  }

  async voterIds(ideaId: number): Promise<number[]> {
    return (await this.rt.db('polls_idea_votes').where({ idea_id: ideaId }).pluck('user_id')).map(Number);
  }

  async status(ideaId: number): Promise<IdeaStatus | null> {
    const row = await this.rt.db('polls_ideas').where({ entity_id: ideaId }).first('status');
    return row ? (String(row.status) as IdeaStatus) : null;
  }

  /** Moderators of the idea's network and the admins of its group. */
  async mayManage(viewer: Viewer | null, e: { network_id: number; container_id: number | null }): Promise<boolean> {
    if (this.rt.access.canModerate(viewer, e)) return true;
    if (!viewer || e.container_id === null) return false;
    return (await containerRole(this.rt.db, Number(e.container_id), viewer.id)) === 'admin';
  }
}
