/**
 * New-member safeguards, per network (the plugin's settings, all off by default):
 *
 * - `newMemberHeldPosts`: while a member has fewer than N posts in the network (statuses, blog
 *   posts, topics, events… — the entity types with a page of their own; a post awaiting review
 *   counts), what they post or edit is held for review, through the same path as a watched
 *   word's "hold": saved withheld, queued, published by a moderator. Comments, replies and
 *   messages live inside another piece, so they are not held (the pace limits apply to them).
 * - `postsPerHour` and `linksPerHour`: how many pieces (of every kind, messages included) and
 *   how many links a member may post in the network within the last hour; past that, the form
 *   is refused with a message saying when they may post again, and keeps the text (the
 *   problem's `retryAfter`: the API answers 429 with `Retry-After`).
 *
 * The network's moderators and admins, and root admins, are exempt. The pace is counted in
 * `moderation_pace`, one row per piece that passed these checks (a piece another check refuses
 * afterwards still counts, which errs on the safe side); rows older than an hour go at the
 * member's next piece.
 */
import { BOT_KIND, type FilterHandler, type Runtime } from '../../core';
import { NEW_MEMBER_HOLD } from './constants';

const HOUR = 3_600_000;

/** Kinds of piece saved inside another (never held on their own: a hold would withhold their parent). */
const INSIDE_ANOTHER = new Set(['comment', 'reply', 'message']);

/** How many links a text carries (web addresses, with or without their scheme). */
export function countLinks(text: string): number {
  return (text.match(/\bhttps?:\/\/[^\s<>"]+|\bwww\.[^\s<>"]+/gi) ?? []).length;
}

interface Limits {
  held: number;
  posts: number;
  links: number;
}

function limitsOf(rt: Runtime, networkId: number): Limits {
  const s = rt.pluginState.settings('moderation', networkId);
  return { held: Number(s.newMemberHeldPosts) || 0, posts: Number(s.postsPerHour) || 0, links: Number(s.linksPerHour) || 0 };
}

async function exempt(rt: Runtime, networkId: number, authorId: number): Promise<boolean> {
  const author = await rt.users.viewer(authorId);
  if (!author) return true;
  const role = author.roles[networkId];
  return author.isRootAdmin || role === 'admin' || role === 'moderator';
}

/** The entity types that are posts: those with a page of their own (`viewRoute`), not records such as "joined the network". */
const postTypes = (rt: Runtime): string[] =>
  rt.plugins.manifests().flatMap((p) => (p.manifest.entities ?? []).filter((e) => e.viewRoute).map((e) => e.type));

/** Whether the member has posted fewer than `n` posts (not deleted) in the network. */
async function fewerPostsThan(rt: Runtime, networkId: number, authorId: number, n: number): Promise<boolean> {
  const rows = await rt
    .db('entities')
    .where({ owner_id: authorId, network_id: networkId })
    .whereIn('type', postTypes(rt))
    .whereNull('deleted_at')
    .limit(n)
    .select('id');
  return rows.length < n;
}

/** The member's pieces and links of the last hour, and each piece's time and links, oldest first. */
async function paceOf(rt: Runtime, networkId: number, authorId: number, now: number) {
  const rows = (await rt
    .db('moderation_pace')
    .where({ network_id: networkId, user_id: authorId })
    .where('at', '>', now - HOUR)
    .orderBy('at')
    .select('at', 'links')) as { at: number | string; links: number | string }[];
  const links = rows.reduce((sum, r) => sum + Number(r.links), 0);
  return { posts: rows.length, links, rows: rows.map((r) => ({ at: Number(r.at), links: Number(r.links) })) };
}

/** Seconds until the oldest of the hour's rows weigh `over` (posts or links) and have aged out. */
function secondsUntil(rows: { at: number; weight: number }[], over: number, now: number): number {
  let freed = 0;
  for (const r of rows) {
    freed += r.weight;
    if (freed >= over) return Math.max(1, Math.ceil((r.at + HOUR - now) / 1000));
  }
  return HOUR / 1000;
}

/** A pace refusal: its message says the wait in minutes, `retryAfter` in seconds (the API's 429). */
const paced = (key: string, count: number, seconds: number) => ({
  key,
  params: { count, minutes: Math.max(1, Math.ceil(seconds / 60)) },
  retryAfter: seconds,
});

export const screenNewMembers: FilterHandler<'content:saving'> = async (screening, draft, rt) => {
  const limits = limitsOf(rt, draft.networkId);
  if (!limits.held && !limits.posts && !limits.links) return screening;
  if (Object.keys(screening.problems).length) return screening;
  if (await exempt(rt, draft.networkId, draft.authorId)) return screening;
  const field = 'body' in screening.texts ? 'body' : (Object.keys(screening.texts)[0] ?? 'body');
  const now = Date.now();
  const links = Object.values(screening.texts).reduce((sum, text) => sum + countLinks(text), 0);
  if (limits.posts || limits.links) {
    const pace = await paceOf(rt, draft.networkId, draft.authorId, now);
    if (limits.posts && pace.posts >= limits.posts) {
      const seconds = secondsUntil(
        pace.rows.map((r) => ({ at: r.at, weight: 1 })),
        pace.posts - limits.posts + 1,
        now,
      );
      return { ...screening, problems: { [field]: paced('moderation.pace.posts', limits.posts, seconds) } };
    }
    if (limits.links && links > 0 && pace.links + links > limits.links) {
      // More links in one piece than the hour allows: no wait makes it pass (a plain refusal).
      const problem =
        links > limits.links
          ? { key: 'moderation.pace.tooManyLinks', params: { count: limits.links } }
          : paced(
              'moderation.pace.links',
              limits.links,
              secondsUntil(
                pace.rows.map((r) => ({ at: r.at, weight: r.links })),
                pace.links + links - limits.links,
                now,
              ),
            );
      return { ...screening, problems: { [field]: problem } };
    }
    await rt.db.transaction(async (trx) => {
      await trx('moderation_pace')
        .where({ network_id: draft.networkId, user_id: draft.authorId })
        .where('at', '<=', now - HOUR)
        .delete();
      await trx('moderation_pace').insert({ network_id: draft.networkId, user_id: draft.authorId, at: now, links });
    });
  }
  // A bot (core `users.kind`) is no new person: its admins created it, its posts are not held as a newcomer's.
  if (
    limits.held &&
    !INSIDE_ANOTHER.has(draft.kind) &&
    (await fewerPostsThan(rt, draft.networkId, draft.authorId, limits.held)) &&
    (await rt.users.kind(draft.authorId)) !== BOT_KIND
  )
    return { ...screening, hold: [...screening.hold, NEW_MEMBER_HOLD] };
  return screening;
};
