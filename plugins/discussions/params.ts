/** What the discussions route modules share: the capability, services, reader checks, `:id`, list rows. */
import { avatarUrl, activeViewer, HttpError, idParam, link, queryParam, t, tagLinks, tagQuery, type RucheContext } from '../../core';
import { withheldFrom } from './pieces';
import { rankOf, type TopicReading } from './reading';
import { RepliesService, type ReplyRow } from './replies';
import { FILTERS, TopicsService, type Filter, type TopicItem, type TopicPage, type TopicRow } from './service';

export const WRITE = 'discussions.write';

export const topics = (ctx: RucheContext): TopicsService => ctx.ruche.container.resolve(TopicsService);
export const replies = (ctx: RucheContext): RepliesService => ctx.ruche.container.resolve(RepliesService);

/** 404 for members, sign-in for guests: never a hint that something exists. */
export const hidden = (ctx: RucheContext): HttpError => (activeViewer(ctx) ? new HttpError(404, 'discussions.errors.notFound') : new HttpError(401));

export function filterParam(ctx: RucheContext): Filter {
  const f = queryParam(ctx, 'filter');
  return (FILTERS as readonly string[]).includes(f) ? (f as Filter) : 'all';
}

/** `?tag=` of a list: 404 when it cannot be a tag. */
export const tagParam = (ctx: RucheContext): string | undefined => tagQuery(ctx, 'discussions.errors.notFound');

/** The topic of `:id` when the viewer may see it; otherwise 404 (members) or sign-in (guests). */
export async function visibleTopic(ctx: RucheContext, id = idParam(ctx)): Promise<TopicRow> {
  return seenTopic(ctx, await topics(ctx).find(id));
}

/** The topic of `:id` as its page reads it (`TopicsService.findForPage`), when the viewer may see it; otherwise as `visibleTopic`. */
export async function visibleTopicPage(ctx: RucheContext): Promise<TopicPage> {
  const page = await topics(ctx).findForPage(idParam(ctx), activeViewer(ctx)?.id ?? 0);
  await seenTopic(ctx, page?.topic);
  return page!;
}

async function seenTopic(ctx: RucheContext, topic: TopicRow | undefined): Promise<TopicRow> {
  if (!topic || topic.network_id !== ctx.state.network.id || !(await ctx.ruche.access.canSee(activeViewer(ctx), topic))) throw hidden(ctx);
  return topic;
}

/** The topic of `:id` when the viewer may edit it (its author, moderators). */
export async function editableTopic(ctx: RucheContext): Promise<TopicRow> {
  const topic = await visibleTopic(ctx);
  if (!ctx.ruche.access.canEdit(activeViewer(ctx), topic)) throw new HttpError(403, 'discussions.errors.notYours');
  return topic;
}

/** The topic of `:id` when the viewer moderates its network. */
export async function moderatedTopic(ctx: RucheContext): Promise<TopicRow> {
  const topic = await visibleTopic(ctx);
  if (!ctx.ruche.access.canModerate(activeViewer(ctx), topic)) throw new HttpError(403, 'discussions.errors.moderatorsOnly');
  return topic;
}

/** The reply of `:id` and its topic, both visible to the viewer (deleted replies are 404s). */
export async function visibleReply(ctx: RucheContext): Promise<{ reply: ReplyRow; topic: TopicRow }> {
  const reply = await replies(ctx).find(idParam(ctx));
  if (!reply || reply.deleted_at) throw hidden(ctx);
  const topic = await visibleTopic(ctx, reply.topic_id);
  // A reply a moderator hid is its author's and the moderators' only.
  if (withheldFrom(ctx.ruche, activeViewer(ctx), topic.network_id, reply)) throw hidden(ctx);
  return { reply, topic };
}

export async function editableReply(ctx: RucheContext): Promise<{ reply: ReplyRow; topic: TopicRow }> {
  const found = await visibleReply(ctx);
  if (!ctx.ruche.access.canEdit(activeViewer(ctx), { owner_id: found.reply.author_id, network_id: found.topic.network_id }))
    throw new HttpError(403, 'discussions.errors.notYours');
  return found;
}

/** Marks the accepted answer: the asker, a network moderator, or an admin of the topic's group. */
export async function canAnswer(ctx: RucheContext, topic: TopicRow): Promise<boolean> {
  const v = activeViewer(ctx);
  if (!v) return false;
  if (v.id === topic.owner_id || ctx.ruche.access.canModerate(v, topic)) return true;
  if (topic.container_id === null || topic.container_id === undefined) return false;
  return (await ctx.ruche.containers.role(topic.container_id, v.id)) === 'admin';
}

/**
 * The link to a reply on the viewer's page of the topic holding it (their pages leave out the
 * replies hidden from them: reading.ts); `reading` is read when not given.
 */
export async function replyHref(
  ctx: RucheContext,
  topic: TopicRow,
  reply: Pick<ReplyRow, 'id' | 'position'>,
  reading?: TopicReading,
): Promise<string> {
  const rank = rankOf(reading ?? (await replies(ctx).reading(ctx, topic)), reply.position);
  const page = Math.max(1, Math.ceil(rank / topics(ctx).repliesPerPage(topic.network_id)));
  return `${link(ctx, 'discussions.view', { id: topic.id })}${page > 1 ? `?page=${page}` : ''}#reply-${reply.id}`;
}

/** A topic as a list row. */
export function row(ctx: RucheContext, p: TopicItem, tags: Map<number, string[]>) {
  return {
    id: p.id,
    title: p.title,
    excerpt: p.excerpt,
    href: link(ctx, 'discussions.view', { id: p.id }),
    authorName: p.display_name,
    avatar: avatarUrl(ctx, { id: p.owner_id, photo_key: p.photo_key }, 64),
    lastActivityAt: p.last_activity_at,
    replies: p.reply_count,
    repliesLabel: t(ctx, 'discussions.list.replies', { count: p.reply_count }),
    unread: p.unread,
    pinned: p.pinned,
    locked: p.locked,
    answered: p.accepted_reply_id !== null,
    accessLabel: t(ctx, `core.access.${p.access}`),
    tags: tagLinks(ctx, 'discussions.network', tags.get(p.id) ?? []),
  };
}

export async function rows(ctx: RucheContext, items: TopicItem[]) {
  const tags = await ctx.ruche.entities.tagsOf(items.map((i) => i.id));
  return items.map((i) => row(ctx, i, tags));
}

/**
 * A reply's date as the core `date` helper shows it with style="datetime", from formatters
 * built once per locale: the helper builds two Intl.DateTimeFormat per call, which is most of
 * the time of a page of replies (see README).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
/**
 * The dates shown lately, by locale and time (issue 18): a page of replies is shown again and again,
 * and a format costs about 2.4 µs (20 a page). Emptied when full; never changed by its readers.
 */
const shown = new Map<string, Readonly<{ iso: string; text: string }>>();
const SHOWN_MAX = 10_000;
export function dateTime(ctx: RucheContext, ms: number): Readonly<{ iso: string; text: string }> {
  const locale = ctx.state.locale;
  const key = `${locale} ${ms}`;
  const known = shown.get(key);
  if (known) return known;
  let f = formatters.get(locale);
  if (!f) formatters.set(locale, (f = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' })));
  const d = new Date(ms);
  const date = Object.freeze({ iso: d.toISOString(), text: f.format(d) });
  if (shown.size >= SHOWN_MAX) shown.clear();
  shown.set(key, date);
  return date;
}
