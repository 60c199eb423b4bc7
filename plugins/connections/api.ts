/**
 * The connections plugin's public contract for plugins that depend on it: who a member
 * follows, as a subquery to put in their own statements (the home feed's sources), so that
 * no other plugin names the `follows` table.
 */
import type { Knex } from 'knex';

/** A subquery of the ids of the members `userId` follows (for `whereIn`). */
export function followeesOf(db: Knex, userId: number): Knex.QueryBuilder {
  return db('follows').where('follower_id', userId).select('followee_id');
}
