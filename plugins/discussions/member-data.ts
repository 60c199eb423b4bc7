/**
 * The member's topics, replies and subscriptions in their archive; subscriptions and read marks
 * go when the account is anonymised. When it is erased, the topics they replied to are queued
 * for the search index, whose text of a topic holds its replies (theirs go with the account).
 */
import { memberDataHooks } from '../../core';

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
  async erasing(report, { rt, userId, mode }) {
    if (mode === 'erase')
      await rt.entities.textChanged(
        (await rt.db('discussion_replies').where({ author_id: userId }).distinct('topic_id').pluck('topic_id')).map(Number),
      );
    return report;
  },
});
