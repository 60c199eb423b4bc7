/**
 * Comments as pieces of their entity (core/content/pieces.ts): the core resolves one (its
 * entity, author, excerpt, permalink), and the moderation plugin hides, shows again or deletes
 * it with no code of its own here. A withheld comment stays its author's and the network's
 * moderators' (marked "Hidden by a moderator"): it leaves the entity's count, the feeds' latest
 * comments, the search text and the notifications, and threads show it to nobody else (the
 * reads apply the rule in their statements: reads.ts).
 */
import type { Knex } from 'knex';
import { entityHref, pieceExcerpt, plainTextOf, type Piece, type PieceKindDef, type Runtime } from '../../core';
import { bump, toComment } from './rows';
import { COMMENT_KIND, deleteComment } from './service';

/** The titles of the entities comments are on, as their plugins give them to search (a status has none: its first words). */
async function entityTitles(rt: Runtime, entities: { id: number; type: string }[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const byType = new Map<string, number[]>();
  for (const e of entities) byType.set(e.type, [...(byType.get(e.type) ?? []), e.id]);
  for (const [type, ids] of byType) {
    const read = rt.plugins.entityType(type)?.search?.read;
    if (!read) continue;
    for (const text of await read(rt, ids)) {
      const title = text.title || plainTextOf(text.body ?? '');
      out.set(Number(text.id), title.length > 80 ? `${title.slice(0, 79)}…` : title);
    }
  }
  return out;
}

/** Shows again (false) or withholds (true) a live comment in `trx`: the count, the search text and the activity follow. */
async function withhold(rt: Runtime, id: number, withheld: boolean, trx: Knex.Transaction): Promise<void> {
  const row = (await trx('comments').where({ id }).whereNull('deleted_at').first()) as Record<string, unknown> | undefined;
  if (!row) return;
  const c = toComment(row);
  if (c.withheld === withheld) return;
  await trx('comments').where({ id }).update({ withheld });
  await bump(trx, c.entity_id, withheld ? -1 : 1);
  await rt.entities.textChanged([c.entity_id], trx);
  if (withheld) await rt.activity.remove(c.entity_id, { verb: 'commented', objectId: c.id }, trx);
  else
    await rt.activity.record(
      { verb: 'commented', actorId: c.author_id, entityId: c.entity_id, networkId: c.network_id, objectId: c.id, at: c.created_at },
      trx,
    );
}

export const commentPieces: PieceKindDef = {
  kind: COMMENT_KIND,
  subject: 'comments.piece.subject',
  async read(rt, ids, { basePath, db = rt.db }): Promise<Piece[]> {
    const rows = (await db('comments as c')
      .join('entities as e', 'e.id', 'c.entity_id')
      .whereIn('c.id', ids)
      .select('c.*', 'e.type as entity_type', 'e.deleted_at as entity_deleted_at')) as Record<string, unknown>[];
    // Within a transaction only the state matters (another connection may wait on it): no titles.
    const titles =
      db === rt.db
        ? await entityTitles(
            rt,
            rows.map((r) => ({ id: Number(r.entity_id), type: String(r.entity_type) })),
          )
        : new Map<number, string>();
    return rows.map((r) => {
      const c = toComment(r);
      const page = entityHref(rt, { id: c.entity_id, type: String(r.entity_type), network_id: c.network_id }, basePath);
      return {
        kind: COMMENT_KIND,
        id: c.id,
        networkId: c.network_id,
        authorId: c.author_id,
        entityId: c.entity_id,
        parentTitle: titles.get(c.entity_id) ?? '',
        excerpt: pieceExcerpt(c.body),
        href: page ? `${page}#comment-${c.id}` : null,
        withheld: c.withheld,
        deleted: c.deleted_at !== null || r.entity_deleted_at !== null,
      };
    });
  },
  withhold,
  async remove(rt, id, trx) {
    const row = (await trx('comments').where({ id }).first()) as Record<string, unknown> | undefined;
    if (row) await deleteComment(rt, trx, toComment(row));
  },
};
