/**
 * The member-data contract (core/members/) for messages: the member's archive holds the
 * conversations they take part in with every message in them (sent and received; one a moderator
 * hid only when they wrote it or moderate its network, marked `withheld`) and whom they blocked. However the account is deleted, the messages they sent stay readable by the other
 * participants, shown as from a former member: when it is erased they are given to the
 * installation's former-member account; when it is anonymised they stay on the emptied account.
 * Blocks go either way.
 */
import { erased, memberDataHooks, pieceReader, type Runtime } from '../../core';

/** The networks of the member's conversations whose pieces they read as a moderator (core `pieceReader`). */
async function moderated(rt: Runtime, userId: number): Promise<number[]> {
  const viewer = (await rt.users.viewer(userId)) ?? null;
  const networks = (await rt
    .db('conversations')
    .whereIn('id', rt.db('conversation_members').where({ user_id: userId }).select('conversation_id'))
    .distinct('network_id')) as { network_id: number }[];
  return networks.map((n) => Number(n.network_id)).filter((id) => pieceReader(rt, viewer, id).moderates);
}

export const memberData = memberDataHooks('messages', {
  parts: [{ name: 'blocks', table: 'member_blocks', columns: ['blocker_id'], select: ['blocked_id', 'created_at'] }],
  async more({ rt, userId }) {
    const conversations = rt.db('conversation_members').where({ user_id: userId }).select('conversation_id');
    const moderates = await moderated(rt, userId);
    return [
      {
        plugin: 'messages',
        name: 'conversations',
        rows: await rt.db('conversations').whereIn('id', conversations).select('id', 'kind', 'subject', 'created_at', 'last_message_at'),
      },
      {
        plugin: 'messages',
        name: 'messages',
        rows: await rt
          .db('messages as m')
          .join('conversations as c', 'c.id', 'm.conversation_id')
          .whereIn('m.conversation_id', conversations)
          .whereNull('m.deleted_at')
          // A message a moderator hid: its author's, and the network's moderators' (marked `withheld`), as in the pages.
          .where((w) => w.where('m.withheld', false).orWhere('m.author_id', userId).orWhereIn('c.network_id', moderates))
          .orderBy(['m.conversation_id', 'm.seq'])
          .select('m.conversation_id', 'm.seq', 'm.author_id', 'm.body', 'm.withheld', 'm.created_at', 'm.edited_at'),
      },
    ];
  },
  personal: [
    ['member_blocks', 'blocker_id'],
    ['member_blocks', 'blocked_id'],
  ],
  async erasing(report, { rt, userId, mode, formerMemberId }) {
    if (mode !== 'erase') return report;
    const kept = await rt.db('messages').where({ author_id: userId }).update({ author_id: formerMemberId });
    return erased(report, 'messages', kept);
  },
});
