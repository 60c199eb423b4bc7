/** Member blocks: a blocked member cannot message (or mention) the one who blocked them. */
import type { Knex } from 'knex';
import { idList, perDialect, preparedRead } from '../../core';

/** Whether one member blocks another (asked on every profile page); kept prepared. */
const BLOCKS = preparedRead<{ blocker_id: number }>('select blocker_id from member_blocks where blocker_id = ? and blocked_id = ? limit 1');

/** Among a list of members (a page of the directory), those who block one; with `EITHER`, also those one blocks. Kept prepared. */
const BLOCKED_BY = preparedRead<{ blocker_id: number; blocked_id: number }>(
  perDialect((ids) => `select blocker_id, blocked_id from member_blocks where blocked_id = ? and ${ids('blocker_id')}`),
);
const EITHER = preparedRead<{ blocker_id: number; blocked_id: number }>(
  perDialect(
    (ids) =>
      `select blocker_id, blocked_id from member_blocks where blocked_id = ? and ${ids('blocker_id')}
       union all select blocker_id, blocked_id from member_blocks where blocker_id = ? and ${ids('blocked_id')}`,
  ),
);

export class Blocks {
  constructor(private readonly db: Knex) {}

  /** Whether this made a new block (a second submit, or a simultaneous one, does not). */
  async block(blockerId: number, blockedId: number): Promise<boolean> {
    const added = await this.db('member_blocks')
      .insert({ blocker_id: blockerId, blocked_id: blockedId, created_at: Date.now() })
      .onConflict(['blocker_id', 'blocked_id'])
      .ignore()
      .returning('blocker_id');
    return added.length > 0;
  }

  async unblock(blockerId: number, blockedId: number): Promise<void> {
    await this.db('member_blocks').where({ blocker_id: blockerId, blocked_id: blockedId }).delete();
  }

  async blocks(blockerId: number, blockedId: number): Promise<boolean> {
    return !!(await BLOCKS.first(this.db, [blockerId, blockedId]));
  }

  /** Among `candidates`, those who block `userId` (or, with `either`, are also blocked by them). */
  async among(userId: number, candidates: number[], direction: 'blockedBy' | 'either'): Promise<number[]> {
    if (!candidates.length) return [];
    const list = idList(candidates);
    const rows = direction === 'either' ? await EITHER.all(this.db, [userId, list, userId, list]) : await BLOCKED_BY.all(this.db, [userId, list]);
    const out = new Set<number>();
    for (const r of rows) out.add(Number(r.blocker_id) === userId ? Number(r.blocked_id) : Number(r.blocker_id));
    return [...out];
  }

  /** The members `userId` blocks, with their names and since when. */
  async list(userId: number): Promise<{ id: number; username: string; display_name: string; since: number }[]> {
    const rows = await this.db('member_blocks as b')
      .join('users as u', 'u.id', 'b.blocked_id')
      .where('b.blocker_id', userId)
      .orderBy('u.display_name')
      .select('u.id', 'u.username', 'u.display_name', 'b.created_at');
    return rows.map((r: { id: number; username: string; display_name: string; created_at: number }) => ({
      id: Number(r.id),
      username: r.username,
      display_name: r.display_name,
      since: Number(r.created_at),
    }));
  }
}
