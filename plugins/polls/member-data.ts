/** The member's polls, ideas and votes in their archive; votes stay counted, unlinked from them, when the account is anonymised. */
import { memberDataHooks } from '../../core';

export const memberData = memberDataHooks('polls', {
  parts: [
    { name: 'polls', table: 'polls_polls', entity: 'entity_id' },
    { name: 'ideas', table: 'polls_ideas', entity: 'entity_id' },
    { name: 'votes', table: 'polls_choices', columns: ['user_id'] },
    { name: 'idea-votes', table: 'polls_idea_votes', columns: ['user_id'] },
  ],
});
