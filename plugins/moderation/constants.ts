/** Reporting content or a member: every member by default. */
export const REPORT = 'moderation.report';
/** Reviewing the network's queue: moderators and admins by default (group admins review their group's content without it). */
export const REVIEW = 'moderation.review';

/** Managing the network's watched words: admins by default. */
export const WORDS = 'moderation.words';

/** Why a member reports; `other` needs a few words. */
export const REASONS = ['spam', 'harassment', 'confidential', 'offCharter', 'other'] as const;
export type Reason = (typeof REASONS)[number];
export const isReason = (v: unknown): v is Reason => typeof v === 'string' && (REASONS as readonly string[]).includes(v);

/** The i18n key of a reason's label (`other` is a plural form's name for the translations, so its key differs). */
/** The reason of a report the watched words filed (the piece's author stands as its reporter, never shown). */
export const WATCHED = 'watched';
/** The reason of a report the new-member safeguards filed (safeguards.ts): the first posts of a new member. */
export const NEW_MEMBER = 'newMember';
/** The reasons of reports the plugin files itself, in the author's name: never shown as theirs, never told the outcome. */
export const FILED_BY_RULE: readonly string[] = [WATCHED, NEW_MEMBER];
export const isFiledByRule = (reason: string): boolean => FILED_BY_RULE.includes(reason);
/** What the safeguards add to a screening's `hold` (not a word: the queue shows the reason instead). */
export const NEW_MEMBER_HOLD = 'moderation:newMember';

export const reasonKey = (r: string): string => `moderation.reason.${r === 'other' ? 'otherReason' : r}`;

export const MAX_NOTE = 1000;
export const MAX_WARNING = 2000;

/**
 * What may be reported: an entity, a member, or a piece inside content named by its kind
 * (`comment`, `reply`, `message`: core/content/pieces.ts).
 */
export type TargetType = 'entity' | 'member' | (string & { readonly piece?: never });
export const isTargetType = (v: unknown): v is TargetType => typeof v === 'string' && v.length > 0;
/** Whether a target is a piece (a kind declared by a plugin), not an entity or a member. */
export const isPiece = (type: TargetType): boolean => type !== 'entity' && type !== 'member';

/**
 * What a reviewer may decide on a target; `hide`, `approve` (publish again what was hidden or
 * held) and `delete` only on content; `suspend` and `ban` on the member concerned (sanctions.ts).
 */
export const DECISIONS = ['dismiss', 'approve', 'hide', 'delete', 'warn', 'suspend', 'ban'] as const;
export type Decision = (typeof DECISIONS)[number];
export const isDecision = (v: unknown): v is Decision => typeof v === 'string' && (DECISIONS as readonly string[]).includes(v);

/** Reasons counted, most frequent first (the queue's and the history's order). */
export function reasonCounts(counts: Map<string, number>): { reason: string; count: number }[] {
  return [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
}
