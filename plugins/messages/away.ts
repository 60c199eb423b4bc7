/**
 * New messages reach members who are away by email, through the notifications plugin (the
 * member's email choice for "New private messages": immediately by default, or in the
 * daily or weekly digest, or never). A new message in a direct or group conversation
 * schedules, per recipient and conversation, one job `messages.away` after the setting
 * `awayEmailMinutes` (default 10): each further message moves it, so a lively exchange
 * makes one email once it quiets down. When it runs, a member who has read everything
 * (they were there) gets nothing; otherwise one notification for the conversation, whose
 * line and email are grouped by conversation. Whether the member is still in the
 * conversation is checked when it is recorded and again when the email is built; a
 * member who blocks the writer hears nothing.
 */
import { onEvent, onFilter, type HookRegistration, type JobDef, type Runtime } from '../../core';
import type { KindRuntime, NotificationKind } from '../notifications/hooks';
import './hooks';

export const AWAY_JOB = 'messages.away';
export const KIND = 'messages.received';
/** The one line (and email) of a conversation's messages for a member: read when they read it. */
export const awayGroupKey = (conversationId: number): string => `${KIND}:${conversationId}`;
const key = (userId: number, conversationId: number): string => `${AWAY_JOB}:${userId}:${conversationId}`;

/** Whether the member is active and still in this direct or group conversation. */
async function stillIn(rt: Pick<KindRuntime, 'db'>, conversationId: number, userId: number): Promise<boolean> {
  const row = await rt
    .db('conversation_members as p')
    .join('conversations as c', 'c.id', 'p.conversation_id')
    .join('users as u', 'u.id', 'p.user_id')
    .where({ 'p.conversation_id': conversationId, 'p.user_id': userId, 'u.status': 'active' })
    .whereIn('c.kind', ['direct', 'group'])
    .whereNull('p.left_at')
    .first('p.user_id');
  return !!row;
}

const kinds: NotificationKind[] = [
  {
    id: KIND,
    defaultFrequency: 'immediately',
    async resolve(rt, n, recipient, basePath) {
      const id = Number(n.objectId);
      if (!Number.isSafeInteger(id) || !(await stillIn(rt, id, recipient.id))) return null;
      return { href: rt.routes.build('messages.conversation', { id: String(id) }, basePath) };
    },
    // The email quotes what the member has not read (asked only once `resolve` found them still in it).
    excerpt: (rt, n) => unreadText(rt, Number(n.objectId), n.userId),
  },
];

/** Messages quoted in an email at most (the newest unread ones). */
const QUOTED = 5;

/**
 * The messages of others the member has not read in a conversation, oldest first, as the
 * Markdown they wrote (the notifications plugin makes it plain text and clips it), one
 * paragraph each: "Name: words" in a group, the words alone in a direct conversation.
 * Null when there is none (or they are no longer in it).
 */
async function unreadText(rt: Pick<Runtime, 'db'>, conversationId: number, userId: number): Promise<string | null> {
  const row = await rt
    .db('conversation_members as p')
    .join('conversations as c', 'c.id', 'p.conversation_id')
    .where({ 'p.conversation_id': conversationId, 'p.user_id': userId })
    .whereNull('p.left_at')
    .first('p.last_read_seq', 'c.kind');
  if (!row) return null;
  const rows = (await rt
    .db('messages as m')
    .join('users as u', 'u.id', 'm.author_id')
    .where('m.conversation_id', conversationId)
    .where('m.seq', '>', Number(row.last_read_seq))
    .whereNot('m.author_id', userId)
    .whereNull('m.deleted_at')
    .orderBy('m.seq', 'desc')
    .limit(QUOTED)
    .select('m.body', 'u.display_name')) as { body: string; display_name: string }[];
  if (!rows.length) return null;
  return rows
    .reverse()
    .map((m) => (row.kind === 'group' ? `${m.display_name}: ${m.body}` : m.body))
    .join('\n\n');
}

/** Minutes a message waits before it is emailed to a member who has not read it. */
function delayMs(rt: Pick<Runtime, 'pluginState'>, networkId: number): number {
  const minutes = Number(rt.pluginState.settings('messages', networkId).awayEmailMinutes ?? 10);
  return (Number.isFinite(minutes) && minutes >= 0 ? minutes : 10) * 60_000;
}

export const awayHooks: HookRegistration[] = [
  onFilter('notifications:kinds', (list) => [...list, ...kinds]),
  onEvent('messages:posted', async (p, rt) => {
    if (!p.recipientIds.length) return; // rooms are not emailed
    const runAt = Date.now() + delayMs(rt, p.networkId);
    for (const userId of p.recipientIds)
      await rt.jobs.schedule(
        AWAY_JOB,
        { userId, conversationId: p.conversationId, networkId: p.networkId },
        { key: key(userId, p.conversationId), runAt },
      );
  }),
];

/** Job `messages.away`: one notification for a conversation the member has not read since. */
export const awayJob: JobDef = {
  kind: AWAY_JOB,
  maxAttempts: 5,
  async handler(payload, rt) {
    const userId = Number(payload.userId);
    const conversationId = Number(payload.conversationId);
    const networkId = Number(payload.networkId);
    const member = await rt
      .db('conversation_members')
      .where({ conversation_id: conversationId, user_id: userId })
      .whereNull('left_at')
      .first('last_read_seq');
    if (!member) return;
    // The newest unread message from someone else is the line's actor; nothing unread, nothing sent.
    const latest = await rt
      .db('messages')
      .where({ conversation_id: conversationId })
      .where('seq', '>', Number(member.last_read_seq))
      .whereNot('author_id', userId)
      .whereNull('deleted_at')
      .orderBy('seq', 'desc')
      .first('author_id');
    if (!latest) return;
    await rt.hooks.emit('notifications:notify', {
      networkId,
      kind: KIND,
      userId,
      actorId: Number(latest.author_id),
      objectId: conversationId,
      groupKey: awayGroupKey(conversationId),
    });
  },
};
