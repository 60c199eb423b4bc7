/** The member's events, answers, replies to organisers' questions and organiser roles in their archive; answers, replies and calendar links go when the account is anonymised. */
import { memberDataHooks } from '../../core';

export const memberData = memberDataHooks('events', {
  parts: [
    { name: 'events', table: 'events', entity: 'entity_id' },
    { name: 'answers', table: 'event_rsvps', columns: ['user_id'], personal: true },
    { name: 'organising', table: 'event_organisers', columns: ['user_id'], personal: true },
    { name: 'replies', table: 'event_question_replies', columns: ['user_id'], personal: true },
  ],
  personal: [
    ['event_calendar_tokens', 'user_id'],
    ['event_reminders_sent', 'user_id'],
  ],
});
