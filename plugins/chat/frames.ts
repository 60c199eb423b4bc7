/**
 * What the hub sends about a message: its frame, rendered (Markdown, JSON) once per
 * conversation for everyone, and the authors' names behind it, cached. A message a moderator
 * hid (messages' `withheld`) is its author's and the network's moderators' only (issue 22): the
 * others' frame says it was hidden (no text); its author gets a frame of their own and the
 * moderators taking part another, both rendered only for such a message, with the text marked.
 * The common case stays one render for the whole room.
 */
import type { PieceReader, Runtime } from '../../core';
import { authors, messageView, type Author, type MessageRow } from '../messages/api';

export interface Frame {
  seq: number;
  authorId: number;
  /** The event as every member of the conversation reads it. */
  text: string;
  /** The event as its author reads it, when it differs (a message hidden by a moderator); else null. */
  own: string | null;
  /** The event as the network's moderators read it, when it differs (the same message, marked); else null. */
  moderated: string | null;
}

/** The text of `frame` for `reader` (core `pieceReader` of the conversation's network). */
export const frameFor = (frame: Frame, reader: PieceReader): string =>
  frame.own !== null && reader.id === frame.authorId ? frame.own : frame.moderated !== null && reader.moderates ? frame.moderated : frame.text;

/** A message's frames for event `type` ('message' or 'edit'). */
export function frameOf(type: 'message' | 'edit', conversationId: number, m: MessageRow, author: Author | undefined): Frame {
  const event = (reader: PieceReader) => JSON.stringify({ type, conversation: conversationId, message: messageView(m, author, reader) });
  const marked = m.withheld && !m.deleted_at;
  return {
    seq: m.seq,
    authorId: m.author_id,
    text: event({ id: 0, moderates: false }),
    own: marked ? event({ id: m.author_id, moderates: false }) : null,
    moderated: marked ? event({ id: 0, moderates: true }) : null,
  };
}

/** Display names, cached for a minute (they rarely change; the messages themselves are always read). */
export class AuthorNames {
  private readonly names = new Map<number, { author: Author; at: number }>();
  constructor(private readonly users: Runtime['users']) {}

  async of(ids: number[]): Promise<Map<number, Author>> {
    const now = Date.now();
    const out = new Map<number, Author>();
    const missing: number[] = [];
    for (const id of new Set(ids)) {
      const hit = this.names.get(id);
      if (hit && now - hit.at < 60_000) out.set(id, hit.author);
      else missing.push(id);
    }
    if (missing.length) {
      if (this.names.size > 50_000) this.names.clear();
      for (const [id, a] of await authors(this.users, missing)) {
        this.names.set(id, { author: a, at: now });
        out.set(id, a);
      }
    }
    return out;
  }
}
