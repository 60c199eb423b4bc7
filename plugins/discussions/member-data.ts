/** The member's topics, replies and subscriptions in their archive; subscriptions and read marks go when the account is anonymised. */
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
});
