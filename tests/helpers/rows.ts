/**
 * Rows written straight into the tables, for tests that need many of them or a state the forms
 * cannot make (no password: such members never sign in), and rows counted.
 */
import type { Knex } from 'knex';

/** Inserts a row and answers its id (SQLite and PostgreSQL return it differently). */
export async function insertId(knex: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await knex(table).insert(row).returning('id');
  return Number(typeof r === 'object' ? r.id : r);
}

/**
 * Inserts an active member `username` (`<username>@example.com`, named after the username,
 * created at `at`) into `users` and answers the id; `columns` (status, is_root_admin, ...) win.
 */
export function insertUser(knex: Knex, username: string, columns: Record<string, unknown> = {}, at = Date.now()): Promise<number> {
  const email = `${username}@example.com`;
  return insertId(knex, 'users', {
    username,
    username_lower: username.toLowerCase(),
    email,
    email_lower: email,
    display_name: username,
    status: 'active',
    is_root_admin: false,
    created_at: at,
    updated_at: at,
    ...columns,
  });
}

/** `insertUser`, then a membership of each network `roles` names (network id -> role), created at `at` too. */
export async function insertMember(
  knex: Knex,
  username: string,
  roles: Record<number, string>,
  columns: Record<string, unknown> = {},
  at = Date.now(),
): Promise<number> {
  const id = await insertUser(knex, username, columns, at);
  for (const [network, role] of Object.entries(roles))
    await knex('memberships').insert({ user_id: id, network_id: Number(network), role, created_at: at });
  return id;
}

/** How many rows `query` matches: `t.is(await rowCount(app.db('follows').where({ follower_id: id })), 1)`. */
export async function rowCount(query: Knex.QueryBuilder): Promise<number> {
  return Number((await query.count({ n: '*' }).first())?.n ?? 0);
}

/** How many rows of `table` match `where` (all of them by default). */
export function countRows(knex: Knex, table: string, where: Record<string, unknown> = {}): Promise<number> {
  return rowCount(knex(table).where(where));
}
