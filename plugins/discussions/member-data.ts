/**
 * The member's topics, replies and subscriptions in their archive; subscriptions and read marks
 * go when the account is anonymised. When it is erased, each of their replies in others' topics
 * is deleted as its author would (counted no more, its files and mentions gone, the topic's
 * search text queued) and kept empty under the former-member account, so the topic's numbering
 * and the replies quoting it stay whole. Their own topics go with their entities.
 */
import { erased, memberDataHooks } from '../../core';
import { RepliesService, type ReplyRow } from './replies';

export const memberData = memberDataHooks('discussions', {
  parts: [
    { name: 'topics', table: 'discussion_topics', entity: 'entity_id' },
    { name: 'replies', table: 'discussion_replies', columns: ['author_id'] },
    { name: 'subscriptions', table: 'discussion_subscriptions', columns: ['user_id'] },
  ],
  personal: [
    ['discussion_subscriptions', 'user_id'],
    ['topic_reads', 'user_id'],
  ],
  async erasing(report, { rt, userId, mode, formerMemberId }) {
    if (mode !== 'erase') return report;
    const replies = rt.container.resolve(RepliesService);
    const live = (await rt.db('discussion_replies').where({ author_id: userId }).whereNull('deleted_at')) as ReplyRow[];
    for (const reply of live) await replies.remove(reply);
    await rt.db('discussion_replies').where({ author_id: userId }).update({ author_id: formerMemberId, body: '', body_html: '' });
    return erased(report, 'discussions', live.length);
  },
});
