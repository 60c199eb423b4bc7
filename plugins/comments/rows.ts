/**
 * Comment rows as the plugin's modules share them: the row and its author as read, the
 * entity's counter of live comments, and who reads a thread (a comment a moderator hid is its
 * author's and the network's moderators' only: core/content/pieces.ts `seesWithheld`).
 */
import type { Knex } from 'knex';
import { BOT_KIND, readerSeesPiece, type PieceReader } from '../../core';

export interface CommentRow {
  id: number;
  entity_id: number;
  network_id: number;
  author_id: number;
  parent_id: number | null;
  body: string;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  /** Hidden by a moderator: shown to its author and the network's moderators only (pieces.ts). */
  withheld: boolean;
}

export function toComment(r: Record<string, unknown>): CommentRow {
  const nn = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(r.id),
    entity_id: Number(r.entity_id),
    network_id: Number(r.network_id),
    author_id: Number(r.author_id),
    parent_id: nn(r.parent_id),
    body: String(r.body ?? ''),
    created_at: Number(r.created_at),
    edited_at: nn(r.edited_at),
    deleted_at: nn(r.deleted_at),
    withheld: r.withheld === true || Number(r.withheld) === 1,
  };
}

/** A comment's author as a panel shows it. */
export interface CommentAuthor {
  id: number;
  username: string;
  display_name: string;
  photo_key: string | null;
  /** A service account (core `BOT_KIND`): shown with a “Bot” badge. */
  is_bot: boolean;
}

/** The authors of comment rows read with `author_username`, `author_name`, `author_photo_key`. */
export function authorsOf(rows: Record<string, unknown>[]): Map<number, CommentAuthor> {
  const authors = new Map<number, CommentAuthor>();
  for (const r of rows) {
    if (r.author_username === null || r.author_username === undefined) continue;
    const id = Number(r.author_id);
    authors.set(id, {
      id,
      username: String(r.author_username),
      display_name: String(r.author_name),
      photo_key: (r.author_photo_key as string | null) ?? null,
      is_bot: r.author_kind === BOT_KIND,
    });
  }
  return authors;
}

/**
 * Whether the reader (the core's `PieceReader`) sees comment `c` whole, not only its place (the
 * "hidden" placeholder). Every statement that reads comments applies the same rule itself (core
 * `pieceSeen`), so a page is full and its counts are what the reader may see.
 */
export const readerSees = (r: PieceReader, c: Pick<CommentRow, 'withheld' | 'author_id'>): boolean =>
  readerSeesPiece(r, { withheld: c.withheld, authorId: c.author_id });

/** `n = n + delta` on the entity's counter (live comments nobody withheld), creating it at the first comment. */
export async function bump(trx: Knex, entityId: number, delta: 1 | -1): Promise<void> {
  if (delta > 0) {
    await trx('comment_counts')
      .insert({ entity_id: entityId, n: 1 })
      .onConflict('entity_id')
      .merge({ n: trx.raw('?? + 1', ['comment_counts.n']) });
  } else {
    await trx('comment_counts')
      .where({ entity_id: entityId })
      .where('n', '>', 0)
      .update({ n: trx.raw('n - 1') });
  }
}
