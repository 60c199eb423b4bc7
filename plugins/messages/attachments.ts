/**
 * Files attached to a private message (core/content/attachments.ts): the plugin keeping files
 * stores them; who sees them is decided here, as for the message itself: the conversation's
 * participants (a group room's members), while the message is not deleted. Never anyone else,
 * whatever the file's own row says.
 */
import {
  attachmentCards,
  parentKey,
  type AttachmentCard,
  type AttachmentParent,
  type AttachmentParentView,
  type RucheContext,
  type Runtime,
} from '../../core';
import { isIn, toConversation } from './audience';
import type { MessageRow } from './service';

/** What files attached to a message name as their parent. */
export const MESSAGE_KIND = 'message';

export const messageParent = (m: Pick<MessageRow, 'id'>): AttachmentParent => ({ kind: MESSAGE_KIND, id: m.id, entityId: null });

/** `attachments:parent` for messages: a participant of its conversation, while it is there. */
export async function messageAttachmentParent(
  value: AttachmentParentView,
  { viewer, parent, basePath }: { viewer: { id: number } | null; parent: AttachmentParent; basePath: string },
  rt: Pick<Runtime, 'db' | 'containers' | 'routes'>,
): Promise<AttachmentParentView> {
  if (parent.kind !== MESSAGE_KIND) return value;
  const no = { visible: false, href: null };
  if (!viewer) return no;
  const m = (await rt.db('messages').where({ id: parent.id }).first('conversation_id', 'seq', 'deleted_at')) as
    { conversation_id: number; seq: number; deleted_at: number | null } | undefined;
  if (!m || m.deleted_at !== null) return no;
  const row = await rt.db('conversations').where({ id: m.conversation_id }).first();
  if (!row || !(await isIn(rt, toConversation(row), viewer.id))) return no;
  return { visible: true, href: `${rt.routes.build('messages.conversation', { id: String(m.conversation_id) }, basePath)}#m${Number(m.seq)}` };
}

/** The attachments of a page of messages (the viewer is in their conversation), by message id. */
export async function messageFiles(ctx: RucheContext, rows: Pick<MessageRow, 'id' | 'deleted_at'>[]): Promise<Map<number, AttachmentCard>> {
  const live = rows.filter((m) => m.deleted_at === null);
  const cards = await attachmentCards(ctx, live.map(messageParent));
  return new Map(live.flatMap((m) => (cards.has(parentKey(messageParent(m))) ? [[m.id, cards.get(parentKey(messageParent(m)))!]] : [])));
}
