/**
 * The installation's former-member account: one row of `users` (status `former`, no
 * password, no membership, a username no one can register) standing for every erased member
 * whose words must stay readable by others — a message in a conversation, a group they founded.
 * Person cards show it as "A former member" in the viewer's language (core/content/people.ts),
 * like an anonymised account.
 */
import type { Knex } from 'knex';
import { isUniqueViolation } from '../db/errors';

/** `~` is refused in usernames (core/auth/users.ts), so no member can take it. */
export const FORMER_MEMBER_USERNAME = '~former';

/**
 * The id of the former-member account, created on first use. `label` is its stored name ("A
 * former member" in the installation's language), for the pages that read `display_name` itself.
 */
export async function formerMemberId(db: Knex, label: string): Promise<number> {
  const found = await db('users').where({ username_lower: FORMER_MEMBER_USERNAME }).first('id');
  if (found) return Number(found.id);
  const at = Date.now();
  try {
    await db('users').insert({
      username: FORMER_MEMBER_USERNAME,
      username_lower: FORMER_MEMBER_USERNAME,
      email: 'former@former.invalid',
      email_lower: 'former@former.invalid',
      display_name: label,
      password_hash: null,
      status: 'former',
      created_at: at,
      updated_at: at,
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err; // another process made it first
  }
  return Number((await db('users').where({ username_lower: FORMER_MEMBER_USERNAME }).first('id')).id);
}
