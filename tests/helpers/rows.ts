/** Counting rows in tests: `t.is(await rowCount(app.db('follows').where({ follower_id: id })), 1)`. */
import type { Knex } from 'knex';

/** How many rows `query` matches. */
export async function rowCount(query: Knex.QueryBuilder): Promise<number> {
  const row = await query.count({ n: '*' }).first();
  return Number(row?.n);
}
