/**
 * Messages as pieces of their conversation (core/content/pieces.ts): outside any entity, so a
 * message is seen by the conversation's participants only (`canSee`: a room's by its group's
 * members). A participant reports one; the moderators see that message alone (no permalink:
 * the conversation stays the participants'), and may hide it (its author still reads it,
 * marked; the others see that a moderator hid it: the page, the API, the inbox's excerpt, the
 * search) or delete it.
 */
import type { Knex } from 'knex';
import { pieceExcerpt, type Piece, type PieceKindDef, type Runtime } from '../../core';
import { isIn, toConversation } from './audience';
import { CHANNEL, changePayload } from './hooks';

/** The kind of piece a message is (moderation reports name it). */
export const MESSAGE_PIECE = 'message';

const flag = (v: unknown): boolean => v === true || Number(v) === 1;

/** Open pages and chats hear of the change once committed (they show the message as the viewer may see it). */
function announce(rt: Runtime, trx: Knex.Transaction, conversationId: number, id: number): void {
  void trx.executionPromise.then(
    () => rt.pubsub.publish(CHANNEL, changePayload('e', conversationId, id)),
    () => undefined,
  );
}

export const messagePieces: PieceKindDef = {
  kind: MESSAGE_PIECE,
  subject: 'messages.piece.subject',
  async read(rt, ids, { db = rt.db }): Promise<Piece[]> {
    const rows = (await db('messages as m')
      .join('conversations as c', 'c.id', 'm.conversation_id')
      .whereIn('m.id', ids)
      .select('m.id', 'm.author_id', 'm.body', 'm.deleted_at', 'm.withheld', 'c.network_id', 'c.subject')) as Record<string, unknown>[];
    return rows.map((r) => ({
      kind: MESSAGE_PIECE,
      id: Number(r.id),
      networkId: Number(r.network_id),
      authorId: Number(r.author_id),
      entityId: null,
      parentTitle: String(r.subject ?? ''),
      excerpt: pieceExcerpt(String(r.body ?? '')),
      href: null,
      withheld: flag(r.withheld),
      deleted: r.deleted_at !== null,
    }));
  },
  async canSee(rt, viewer, piece) {
    const row = await rt
      .db('conversations')
      .where('id', rt.db('messages').where({ id: piece.id }).select('conversation_id'))
      .first();
    return !!row && (await isIn(rt, toConversation(row), viewer.id));
  },
  async withhold(rt, id, withheld, trx) {
    const row = (await trx('messages').where({ id }).whereNull('deleted_at').first('conversation_id', 'withheld')) as
      Record<string, unknown> | undefined;
    if (!row || flag(row.withheld) === withheld) return;
    await trx('messages').where({ id }).update({ withheld });
    announce(rt, trx, Number(row.conversation_id), id);
  },
  async remove(rt, id, trx) {
    const row = (await trx('messages').where({ id }).whereNull('deleted_at').first('conversation_id')) as Record<string, unknown> | undefined;
    if (!row) return;
    await trx('messages').where({ id }).update({ body: '', deleted_at: Date.now() });
    announce(rt, trx, Number(row.conversation_id), id);
  },
};
