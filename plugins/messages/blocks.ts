/** Member blocks: a blocked member cannot message (or mention) the one who blocked them. */
import type { Knex } from 'knex';

export class Blocks {
  constructor(private readonly db: Knex) {}

  async block(blockerId: number, blockedId: number): Promise<void> {
    const exists = await this.db('member_blocks').where({ blocker_id: blockerId, blocked_id: blockedId }).first('blocker_id');
    if (!exists) await this.db('member_blocks').insert({ blocker_id: blockerId, blocked_id: blockedId, created_at: Date.now() });
  }

  async unblock(blockerId: number, blockedId: number): Promise<void> {
    await this.db('member_blocks').where({ blocker_id: blockerId, blocked_id: blockedId }).delete();
  }

  async blocks(blockerId: number, blockedId: number): Promise<boolean> {
    return !!(await this.db('member_blocks').where({ blocker_id: blockerId, blocked_id: blockedId }).first('blocker_id'));
  }

  /** Among `candidates`, those who block `userId` (or, with `either`, are also blocked by them). */
  async among(userId: number, candidates: number[], direction: 'blockedBy' | 'either'): Promise<number[]> {
    if (!candidates.length) return [];
    const rows: { blocker_id: number; blocked_id: number }[] = await this.db('member_blocks')
      .where((w) => {
        w.where('blocked_id', userId).whereIn('blocker_id', candidates);
        if (direction === 'either') w.orWhere((o) => o.where('blocker_id', userId).whereIn('blocked_id', candidates));
      })
      .select('blocker_id', 'blocked_id');
    const out = new Set<number>();
    for (const r of rows) out.add(Number(r.blocker_id) === userId ? Number(r.blocked_id) : Number(r.blocker_id));
    return [...out];
  }

  /** The members `userId` blocks, with their names. */
  async list(userId: number): Promise<{ id: number; username: string; display_name: string }[]> {
    const rows = await this.db('member_blocks as b')
      .join('users as u', 'u.id', 'b.blocked_id')
      .where('b.blocker_id', userId)
      .orderBy('u.display_name')
      .select('u.id', 'u.username', 'u.display_name');
    return rows.map((r: { id: number; username: string; display_name: string }) => ({ ...r, id: Number(r.id) }));
  }
}
