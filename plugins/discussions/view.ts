/**
 * The topic page's data: the topic, one page of replies (one query with their authors), the
 * panels other plugins add (reactions), the reply form (pre-filled with a quote from
 * `?quote=`), the viewer's unread markers; the viewer's read marker moves forward.
 */
import {
  attachmentCards,
  attachmentField,
  parentKey,
  avatarUrl,
  activeViewer,
  entityPanels,
  entityRef,
  link,
  pageParam,
  pieceActions,
  queryParam,
  t,
  tagLinks,
  type RucheContext,
} from '../../core';
import { REPLY_PIECE } from './pieces';
import { acceptedOf, pagesOf } from './reading';
import { quoteOf, replyParent, REPLY_KIND, type PageReply } from './replies';
import type { TopicPage, TopicRow } from './service';
import { WRITE, canAnswer, dateTime, replies, replyHref, topics } from './params';

/** What a mention or a hashtag starts with (`mentions.linkHtml`). */
const MAY_LINK = /[@#]/;

/** The reply form's text: what was typed, or a quote of `?quote=<reply id>` / `?quote=topic`. */
async function draftOf(ctx: RucheContext, topic: TopicRow, author: { display_name: string }): Promise<string> {
  const q = queryParam(ctx, 'quote');
  if (q === 'topic') return quoteOf(author.display_name, topic.body);
  if (!/^\d{1,15}$/.test(q)) return '';
  const r = await ctx.ruche
    .db('discussion_replies as r')
    .join('users as u', 'u.id', 'r.author_id')
    .where({ 'r.id': Number(q), 'r.topic_id': topic.id })
    .whereNull('r.deleted_at')
    .where('r.withheld', false)
    .first('r.body', 'u.display_name');
  return r ? quoteOf(r.display_name, r.body) : '';
}

/** The topic page (as `visibleTopicPage` read it): data shared by the page and a reply form shown again with an error. */
export async function topicView(
  ctx: RucheContext,
  { topic, author, subscribed, lastRead, withheld, tagged }: TopicPage,
  form: { body?: string; error?: string | null; lastPage?: boolean } = {},
): Promise<Record<string, unknown>> {
  const rt = ctx.ruche;
  const viewer = activeViewer(ctx);
  const svc = replies(ctx);
  const size = topics(ctx).repliesPerPage(topic.network_id);
  // The topic as the viewer reads it: a reply a moderator hid is its author's and the moderators' only (reading.ts).
  const reading = await svc.reading(ctx, topic, withheld);
  const pages = pagesOf(topic, reading, size);
  const page = form.lastPage ? pages : Math.min(pageParam(ctx), pages);
  const [tags, panels, list] = await Promise.all([
    tagged ? rt.entities.tagsOf([topic.id]) : new Map<number, string[]>(),
    entityPanels(ctx, [entityRef(topic)], 'page'),
    svc.page(topic, reading, page, size),
  ]);
  // Mentions and hashtags become links where the page's text has an "@" or a "#" (the rule of
  // `mentions.linkHtml`); a page without any reads none.
  const linked = [topic.body_html, ...list.map((r) => r.body_html)].some((html) => MAY_LINK.test(html))
    ? await rt.mentions.htmlLinker(ctx, [{ entityId: topic.id }])
    : (_place: unknown, html: string) => html;
  // Files attached to the replies (core/content/attachments.ts): one ask for the page.
  const live = list.filter((r) => r.deleted_at === null).map((r) => replyParent(topic.id, r.id));
  const [files, attach] = await Promise.all([attachmentCards(ctx, live), viewer && !topic.locked ? attachmentField(ctx, REPLY_KIND) : null]);
  const maxId = list.reduce((m, r) => Math.max(m, r.id), 0);
  // Other plugins' entries on each reply (`piece:actions`: "Report"), links that work without JavaScript.
  const menus = await pieceActions(
    ctx,
    list
      .filter((r) => r.deleted_at === null)
      .map((r) => ({ kind: REPLY_PIECE, id: r.id, authorId: r.author_id, networkId: topic.network_id, withheld: r.withheld })),
  );
  // Written only when the marker moves forward: reading an old page again costs no write.
  if (viewer && (lastRead === null || maxId > lastRead)) await svc.markRead(viewer.id, topic.id, maxId);
  const mod = rt.access.canModerate(viewer, topic);
  const answerer = await canAnswer(ctx, topic);
  const mayReply = !!viewer && rt.permissions.can(viewer, WRITE, topic.network_id) && !topic.locked;
  const here = link(ctx, 'discussions.view', { id: topic.id });
  const pageHref = (n: number) => `${here}${n > 1 ? `?page=${n}` : ''}`;
  const quoteBase = page > 1 ? `${here}?page=${page}&quote=` : `${here}?quote=`;
  // What `discussions/partials/reply` shows and nothing else: the reply is a kept fragment keyed by
  // this data (core/cache/fragments.ts), and the links an author's buttons need only where they show.
  const replyView = (r: PageReply) => {
    const canEdit = rt.access.canEdit(viewer, { owner_id: r.author_id, network_id: topic.network_id });
    return {
      id: r.id,
      deleted: r.deleted_at !== null,
      withheld: r.withheld,
      withheldNote: r.withheld ? t(ctx, r.author_id === viewer?.id ? 'discussions.reply.withheldMine' : 'discussions.reply.withheldOthers') : '',
      menu: menus.get(r.id) ?? [],
      html: linked({ entityId: topic.id, objectId: r.id }, r.body_html),
      attachments: files.get(parentKey(replyParent(topic.id, r.id))) ?? null,
      created: dateTime(ctx, r.created_at),
      edited: r.edited_at !== null,
      authorName: r.display_name,
      authorHref: link(ctx, 'profiles.view', { username: r.username }),
      avatar: avatarUrl(ctx, { id: r.author_id, photo_key: r.photo_key }, 64),
      accepted: topic.accepted_reply_id === r.id,
      isNew: lastRead !== null && r.id > lastRead && r.author_id !== viewer?.id,
      quoteHref: mayReply ? `${quoteBase}${r.id}#reply-form` : null,
      canEdit,
      editHref: canEdit ? link(ctx, 'discussions.reply.edit', { id: r.id }) : null,
      deleteAction: canEdit ? link(ctx, 'discussions.reply.delete', { id: r.id }) : null,
      revisionsHref: canEdit ? link(ctx, 'discussions.reply.revisions', { id: r.id }) : null,
      acceptAction: answerer && !r.withheld && topic.accepted_reply_id !== r.id ? link(ctx, 'discussions.reply.accept', { id: r.id }) : null,
      unacceptAction: answerer && topic.accepted_reply_id === r.id ? link(ctx, 'discussions.unaccept', { id: topic.id }) : null,
    };
  };
  const accepted = await acceptedOf(rt.db, topic, reading);
  return {
    topic: {
      id: topic.id,
      title: topic.title,
      html: linked({ entityId: topic.id }, topic.body_html),
      created: dateTime(ctx, topic.created_at),
      edited: topic.edited_at !== null,
      locked: topic.locked,
      pinned: topic.pinned,
      replyCount: reading.count,
      repliesLabel: t(ctx, 'discussions.list.replies', { count: reading.count }),
      accessLabel: t(ctx, `core.access.${topic.access}`),
      tags: tagLinks(ctx, 'discussions.network', tags.get(topic.id) ?? []),
      quoteHref: mayReply ? `${quoteBase}topic#reply-form` : null,
    },
    acceptedHref: accepted ? await replyHref(ctx, topic, accepted, reading) : null,
    author: {
      name: author.display_name,
      href: link(ctx, 'profiles.view', { username: author.username }),
      avatar: avatarUrl(ctx, { id: topic.owner_id, photo_key: author.photo_key }, 64),
    },
    backHref: topic.container_id ? link(ctx, 'discussions.container', { containerId: topic.container_id }) : link(ctx, 'discussions.network'),
    replies: list.map(replyView),
    pager: { prev: page > 1 ? pageHref(page - 1) : null, next: page < pages ? pageHref(page + 1) : null, page, pages, many: pages > 1 },
    canEdit: rt.access.canEdit(viewer, topic),
    canModerate: mod,
    editHref: link(ctx, 'discussions.edit', { id: topic.id }),
    revisionsHref: link(ctx, 'discussions.revisions', { id: topic.id }),
    // Search within the thread, once it has replies.
    searchAction: topic.reply_count > 0 ? link(ctx, 'discussions.search', { id: topic.id }) : null,
    deleteAction: link(ctx, 'discussions.delete', { id: topic.id }),
    lockAction: link(ctx, 'discussions.lock', { id: topic.id }),
    pinAction: link(ctx, 'discussions.pin', { id: topic.id }),
    moveHref: link(ctx, 'discussions.move', { id: topic.id }),
    subscribeAction: viewer ? link(ctx, 'discussions.subscribe', { id: topic.id }) : null,
    subscribed,
    replyAction: mayReply ? link(ctx, 'discussions.reply', { id: topic.id }) : null,
    replyBody: form.body ?? (mayReply ? await draftOf(ctx, topic, author) : ''),
    replyError: form.error ?? null,
    attach: mayReply ? attach : null,
    lockedNotice: topic.locked,
    panels: panels.get(topic.id) ?? [],
  };
}
