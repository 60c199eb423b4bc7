/**
 * Who has a chat open, whichever process serves them (`ruche start --workers N`, or several
 * processes on one PostgreSQL database). Each process writes its own members to
 * `chat_presence` (online or away; the row goes when their last socket here closes) and
 * refreshes its rows every HEARTBEAT_MS while it has any; a row not refreshed for STALE_MS
 * belongs to a process that died and counts as gone (and is removed by the next heartbeat
 * of any process). Changes made together are written together: one statement per kind of
 * change for everything that changed while the previous write ran (a thousand members
 * connecting at once cost a few statements, not a thousand), and in order.
 */
import { randomUUID } from 'node:crypto';
import type { Runtime } from '../../core';

export type HereState = 'online' | 'away';
export const HEARTBEAT_MS = 30_000;
export const STALE_MS = 3 * HEARTBEAT_MS;
const CHUNK = 400;

export class PresenceBook {
  /** This process's name in the table. */
  readonly process = randomUUID();
  /** What this process has written, or is about to: member → state. */
  private readonly mine = new Map<number, HereState>();
  private pending = new Map<number, HereState | null>();
  private queued: Promise<void> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(private readonly rt: Pick<Runtime, 'db' | 'logger'>) {}

  /** The member's state in this process (null: no socket of theirs left here); resolves once written. */
  set(userId: number, state: HereState | null): Promise<void> {
    if ((this.mine.get(userId) ?? null) === state && !this.pending.has(userId)) return this.chain;
    if (state) this.mine.set(userId, state);
    else this.mine.delete(userId);
    this.pending.set(userId, state);
    this.beat();
    return (this.queued ??= this.chain = this.chain.then(() => this.write()));
  }

  /** Whether the book has written everything so far (for a caller that must not run ahead of it). */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Each of `userIds` present in another process (online when any process says so); this one's rows are skipped: its own sockets are exact. */
  async elsewhere(userIds: number[]): Promise<Map<number, HereState>> {
    const out = new Map<number, HereState>();
    const ids = [...new Set(userIds)].filter((id) => id > 0);
    for (let k = 0; k < ids.length; k += CHUNK) {
      const rows = (await this.rt
        .db('chat_presence')
        .whereIn('user_id', ids.slice(k, k + CHUNK))
        .whereNot({ process: this.process })
        .where('seen_at', '>=', Date.now() - STALE_MS)
        .select('user_id', 'state')) as { user_id: number; state: string }[];
      for (const r of rows) if (out.get(Number(r.user_id)) !== 'online') out.set(Number(r.user_id), r.state === 'away' ? 'away' : 'online');
    }
    return out;
  }

  private async write(): Promise<void> {
    this.queued = null;
    const batch = this.pending;
    this.pending = new Map();
    const now = Date.now();
    const gone = [...batch].filter(([, s]) => s === null).map(([u]) => u);
    const here = [...batch].filter(([, s]) => s !== null).map(([user_id, state]) => ({ process: this.process, user_id, state, seen_at: now }));
    try {
      for (let k = 0; k < gone.length; k += CHUNK)
        await this.rt
          .db('chat_presence')
          .where({ process: this.process })
          .whereIn('user_id', gone.slice(k, k + CHUNK))
          .delete();
      for (let k = 0; k < here.length; k += CHUNK)
        await this.rt
          .db('chat_presence')
          .insert(here.slice(k, k + CHUNK))
          .onConflict(['process', 'user_id'])
          .merge(['state', 'seen_at']);
    } catch (e) {
      this.rt.logger.warn({ err: e }, 'chat: presence not written');
    }
  }

  /** Refreshes this process's rows while it has any, and clears rows of processes that died. */
  private beat(): void {
    if (this.mine.size && !this.heartbeat) {
      this.heartbeat = setInterval(() => {
        this.chain = this.chain.then(() => this.refresh());
      }, HEARTBEAT_MS);
      this.heartbeat.unref();
    } else if (!this.mine.size && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
  }

  private async refresh(): Promise<void> {
    const now = Date.now();
    try {
      await this.rt.db('chat_presence').where({ process: this.process }).update({ seen_at: now });
      await this.rt
        .db('chat_presence')
        .where('seen_at', '<', now - STALE_MS)
        .delete();
    } catch (e) {
      this.rt.logger.warn({ err: e }, 'chat: presence not refreshed');
    }
  }
}
