/**
 * The connections plugin's public contract for plugins that depend on it: who a member
 * follows, as a subquery to put in their own statements (the home feed's sources), so that
 * no other plugin names the `follows` table; whether members are connected, and asking to
 * connect (`ConnectionsApi`), so that no other plugin reads `user_relations`.
 */
import type { Knex } from 'knex';
import type { Runtime } from '../../core';
import { ConnectionsService } from './service';

/** A subquery of the ids of the members `userId` follows (for `whereIn`). */
export function followeesOf(db: Knex, userId: number): Knex.QueryBuilder {
  return db('follows').where('follower_id', userId).select('followee_id');
}

/** The kind of `user_relations` row an accepted connection is (the core's `friends` access level). */
export { FRIEND } from './service';

/**
 * Connections as other plugins ask for them (the connect plugin's in-person codes): the same
 * rules as the profile's "Connect" button — not oneself, blocks refused, one pending request
 * per pair, the other's pending request accepted instead — and the same `connections:*` events.
 */
export class ConnectionsApi {
  constructor(private readonly rt: Pick<Runtime, 'container'>) {}

  private service(): ConnectionsService {
    return this.rt.container.resolve(ConnectionsService);
  }

  /** Whether the two members are connected. */
  async connected(a: number, b: number): Promise<boolean> {
    return (await this.service().relation(a, b)).connected;
  }

  /** Which of `otherIds` are connected with `userId` (one statement). */
  connectedAmong(userId: number, otherIds: readonly number[]): Promise<Set<number>> {
    return this.service().connectedAmong(userId, otherIds);
  }

  /** `fromId` asks `toId` to connect: `accepted` when `toId` had asked first, `requested` otherwise. */
  request(networkId: number, fromId: number, toId: number): Promise<'requested' | 'accepted'> {
    return this.service().request(networkId, fromId, toId);
  }
}
