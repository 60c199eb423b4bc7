/**
 * The member-data contract (core/members/) for messages: the member's archive holds the
 * conversations they take part in with every message in them (sent and received) and whom they
 * blocked. However the account is deleted, the messages they sent stay readable by the other
 * participants, shown as from a former member: when it is erased they are given to the
 * installation's former-member account; when it is anonymised they stay on the emptied account.
 * Blocks go either way.
 */
import { erased, memberDataHooks } from '../../core';

export const memberData = memberDataHooks('messages', {
  parts: [{ name: 'blocks', table: 'member_blocks', columns: ['blocker_id'], select: ['blocked_id', 'created_at'] }],
  async more({ rt, userId }) {
    const conversations = rt.db('conversation_members').where({ user_id: userId }).select('conversation_id');
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
          .db('messages')
          .whereIn('conversation_id', conversations)
          .whereNull('deleted_at')
          .orderBy(['conversation_id', 'seq'])
          .select('conversation_id', 'seq', 'author_id', 'body', 'created_at', 'edited_at'),
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
