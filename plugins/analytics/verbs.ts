/**
 * What the core's activity rows mean for the funnel. Plugins record one row per act
 * (core/content/activity-log.ts); analytics reads only those rows, never a plugin's tables.
 * - contributing: the member created a piece of content (status post, blog post, topic,
 *   file or photos, event);
 * - participating: the member reacted, commented, replied, voted or answered an invitation
 *   to an event (an RSVP); contributing counts as participating too.
 * Verbs a plugin does not record yet simply never match.
 */
export const CONTRIBUTE_VERBS = ['posted', 'published', 'started', 'shared', 'shared_photo', 'shared_files', 'added_photos', 'scheduled'] as const;
export const COMMENT_VERBS = ['commented', 'replied'] as const;
export const REACTION_VERBS = ['liked'] as const;
export const PARTICIPATE_VERBS = [...COMMENT_VERBS, ...REACTION_VERBS, 'voted', 'rsvped'] as const;
/** The verb of a new discussion, and of a reply to it (response time). */
export const TOPIC_VERB = 'started';
export const REPLY_VERB = 'replied';

export const DAY_MS = 86_400_000;
/** The UTC day number (days since 1970-01-01) of an instant. */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);
