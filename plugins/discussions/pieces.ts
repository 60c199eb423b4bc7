/**
 * Replies as pieces of their topic (core/content/pieces.ts): the core resolves one (its topic,
 * author, excerpt, permalink), and the moderation plugin hides, shows again or deletes it with
 * no code of its own here. A withheld reply stays its author's and the network's moderators'
 * (marked "Hidden by a moderator"): it leaves the topic's reply count, the search text and the
 * notifications, and the topic's pages, its search and the API show it to nobody else.
 */
import type { Knex } from 'knex';
import { pieceExcerpt, seesWithheld, type Piece, type PieceKindDef, type Runtime, type Viewer } from '../../core';
import { deleteReply, lastReplyAllSee, type ReplyRow } from './replies';
import { normalise } from './service';

/** The kind of piece a reply is (moderation reports name it). */
export const REPLY_PIECE = 'reply';

const flag = (v: unknown): boolean => v === true || Number(v) === 1;

/** Withholds (true) or shows again (false) a live reply in `trx`: the topic's count and last reply, the search text and the activity follow. */
async function withhold(rt: Runtime, id: number, withheld: boolean, trx: Knex.Transaction): Promise<void> {
  const r = (await trx('discussion_replies as r')
    .join('discussion_topics as t', 't.entity_id', 'r.topic_id')
    .where('r.id', id)
    .whereNull('r.deleted_at')
    .first('r.topic_id', 'r.author_id', 'r.created_at', 'r.withheld', 't.network_id')) as Record<string, unknown> | undefined;
  if (!r || flag(r.withheld) === withheld) return;
  const topicId = Number(r.topic_id);
  await trx('discussion_replies').where({ id }).update({ withheld });
  // The topic's last reply (which marks it unread) is never one the others may not see.
  await trx('discussion_topics')
    .where({ entity_id: topicId })
    .update({
      reply_count: trx.raw(withheld ? 'reply_count - 1' : 'reply_count + 1'),
      last_reply_id: withheld
        ? lastReplyAllSee(trx, topicId)
        : trx.raw('case when coalesce(last_reply_id, 0) < ? then ? else last_reply_id end', [id, id]),
    });
  await rt.entities.textChanged([topicId], trx);
  if (withheld) await rt.activity.remove(topicId, { objectId: id }, trx);
  else
    await rt.activity.record(
      { verb: 'replied', actorId: Number(r.author_id), entityId: topicId, objectId: id, networkId: Number(r.network_id), at: Number(r.created_at) },
      trx,
    );
}

export const replyPieces: PieceKindDef = {
  kind: REPLY_PIECE,
  subject: 'discussions.piece.subject',
  async read(rt, ids, { basePath, db = rt.db }): Promise<Piece[]> {
    const rows = (await db('discussion_replies as r')
      .join('discussion_topics as t', 't.entity_id', 'r.topic_id')
      .join('entities as e', 'e.id', 'r.topic_id')
      .whereIn('r.id', ids)
      .select('r.*', 't.title', 't.network_id', 'e.deleted_at as topic_deleted_at')) as Record<string, unknown>[];
    return rows.map((r) => ({
      kind: REPLY_PIECE,
      id: Number(r.id),
      networkId: Number(r.network_id),
      authorId: Number(r.author_id),
      entityId: Number(r.topic_id),
      parentTitle: String(r.title ?? ''),
      excerpt: pieceExcerpt(String(r.body ?? '')),
      href: rt.routes.build('discussions.reply.view', { id: Number(r.id) }, basePath),
      withheld: flag(r.withheld),
      deleted: r.deleted_at !== null || r.topic_deleted_at !== null,
    }));
  },
  withhold,
  async remove(rt, id, trx) {
    const row = (await trx('discussion_replies').where({ id }).first()) as ReplyRow | undefined;
    if (row) await deleteReply(rt, trx, normalise(row));
  },
};

/** Whether `viewer` is kept from seeing a reply of a topic of `networkId`: withheld, and neither its author nor a moderator. */
export function withheldFrom(
  rt: Pick<Runtime, 'access'>,
  viewer: Viewer | null,
  networkId: number,
  r: Pick<ReplyRow, 'withheld' | 'author_id'>,
): boolean {
  return flag(r.withheld) && !seesWithheld(rt, viewer, { authorId: r.author_id, networkId });
}
