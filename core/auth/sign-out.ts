/**
 * Ending every session of a member: the one way the core signs a member out everywhere (a
 * suspension, "sign out everywhere", an administrator's action).
 */
import type { Knex } from 'knex';
import { closeMemberSockets } from '../realtime/member-sockets';
import type { PubSub } from '../realtime/pubsub';

/**
 * Deletes every session of the member — with `also`, what goes with it (a status, their API
 * tokens), in the same transaction — then closes their open sockets in every process.
 */
export async function endAllSessions(
  db: Knex,
  pubsub: Pick<PubSub, 'publish'>,
  userId: number,
  also?: (trx: Knex.Transaction) => Promise<unknown>,
): Promise<void> {
  await db.transaction(async (trx) => {
    await also?.(trx);
    await trx('sessions').where({ user_id: userId }).delete();
  });
  await closeMemberSockets(pubsub, userId, null);
}
