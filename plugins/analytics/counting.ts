/**
 * Page views counted without tracking: one row per member, network and day
 * (`analytics_views`), written on the core's `page:viewed` event. The database row is the
 * truth (an insert that leaves an existing row alone, so any number of processes agree); the
 * set in memory only spares this process repeated writes for a member already counted today.
 */
import type { HookEvents, Runtime } from '../../core';
import { dayOf } from './verbs';

export class ViewCounter {
  static readonly uses = ['db'] as const;
  private day = -1;
  private readonly counted = new Set<string>();
  constructor(private readonly rt: Pick<Runtime, (typeof ViewCounter.uses)[number]>) {}

  /** Counts the view; answers whether it reached the database (false: already counted here today). */
  async count(view: HookEvents['page:viewed']): Promise<boolean> {
    const day = dayOf(view.at);
    if (day !== this.day) {
      this.day = day;
      this.counted.clear();
    }
    const key = `${view.networkId}:${view.userId}`;
    if (this.counted.has(key)) return false;
    await this.rt
      .db('analytics_views')
      .insert({ network_id: view.networkId, user_id: view.userId, day })
      .onConflict(['network_id', 'day', 'user_id'])
      .ignore();
    this.counted.add(key);
    return true;
  }
}
