/**
 * What the comment panels show, loaded for a whole list of entities in a fixed number of
 * queries (never one per entity): in `feed` mode the count and the latest comments (one), in
 * `page` mode one page of top-level comments with all their replies. The entities are
 * already visible to the viewer (the host checked), so no comment here can leak.
 */
import {
  attachmentCards,
  attachmentField,
  avatarUrl,
  parentKey,
  hrefWith,
  idOf,
  link,
  namedCursorParams,
  cursorPager,
  pieceActions,
  queryParam,
  t,
  type CursorNames,
  type EntityAction,
  type EntityPanel,
  type EntityRef,
  type HtmlLinker,
  type RucheContext,
  type Viewer,
  pieceReader,
  type PieceReader,
} from '../../core';
import { THREAD_CURSOR, type ThreadPage } from './reads';
import { readerSees, type CommentAuthor, type CommentRow } from './rows';
import { COMMENT_KIND, CommentsService, WRITE } from './service';

/**
 * The query parameters of the cursors of the comments on an entity's page (its own list shares
 * the page): "Earlier"/"Later" links carry them; `comments_page`, the old numbered page, opens
 * the first page.
 */
export const THREAD_PARAMS: CursorNames = { after: 'comments_after', before: 'comments_before', page: 'comments_page' };

export interface ThreadInput {
  /** What the member typed, kept when the form comes back with an error. */
  body?: string;
  error?: string | null;
}

const service = (ctx: RucheContext): CommentsService => ctx.ruche.container.resolve(CommentsService);

/** Who reads comments on this page: a withheld one is its author's and the network's moderators' only. */
export const readerFor = (ctx: RucheContext): PieceReader => pieceReader(ctx.ruche, ctx.state.viewer, ctx.state.network.id);

/** The query parameter naming the comment whose reply form a thread page shows open. */
export const REPLY_PARAM = 'reply';

/** Links and flags for one comment, as the templates show it. */
function commentView(
  ctx: RucheContext,
  c: CommentRow,
  authors: Map<number, CommentAuthor>,
  e: EntityRef,
  next: string,
  mode: 'feed' | 'page',
  max: number,
  replyTo: number,
  render: (c: CommentRow) => string,
  menu: EntityAction[],
  reader: PieceReader,
) {
  const viewer = ctx.state.viewer;
  const author = authors.get(c.author_id);
  // A deleted comment, or one a moderator hid from this reader, keeps only its place (its replies stay under it).
  const hidden = c.deleted_at === null && !readerSees(reader, c);
  const deleted = c.deleted_at !== null || hidden;
  const mine = !!viewer && viewer.id === c.author_id;
  const canWrite = !!viewer && ctx.ruche.permissions.can(viewer, WRITE, ctx.state.network.id);
  return {
    id: c.id,
    anchor: `comment-${c.id}`,
    deleted,
    placeholder: deleted ? t(ctx, hidden ? 'comments.comment.hidden' : 'comments.comment.deleted') : '',
    authorName: deleted ? '' : (author?.display_name ?? ''),
    authorIsBot: !deleted && !!author?.is_bot,
    authorHref: author && !deleted ? link(ctx, 'profiles.view', { username: author.username }) : '',
    authorAvatar: author && !deleted ? avatarUrl(ctx, { id: author.id, photo_key: author.photo_key }, 64) : '',
    html: deleted ? '' : render(c),
    createdAt: c.created_at,
    edited: !deleted && c.edited_at !== null,
    editedAt: c.edited_at,
    canEdit: !deleted && mine && canWrite,
    canDelete: !deleted && canWrite && (mine || ctx.ruche.access.canModerate(viewer, { network_id: e.networkId })),
    canReply: canWrite,
    editHref: `${link(ctx, 'comments.edit', { id: c.id })}?next=${encodeURIComponent(next)}`,
    deleteAction: link(ctx, 'comments.delete', { id: c.id }),
    replyAction: link(ctx, 'comments.create', { id: e.id }),
    // One reply form per page, under the comment asked for: each comment carries a link to it
    // (no JavaScript needed), not a form of its own.
    replying: canWrite && !deleted && c.id === replyTo,
    replyHref: `${hrefWith(ctx, { [REPLY_PARAM]: c.id })}#comment-reply-${c.id}`,
    cancelHref: `${next.split('#')[0]}#comment-${c.id}`,
    // In a feed the comments are a preview: acting on them happens on the thread.
    actions: mode === 'page' && !deleted && (canWrite || mine || menu.length > 0),
    // Hidden by a moderator: only its author and the moderators still see it, told so.
    withheld: !deleted && c.withheld,
    withheldNote: !deleted && c.withheld ? t(ctx, mine ? 'comments.comment.withheldMine' : 'comments.comment.withheldOthers') : '',
    // Other plugins' entries (`piece:actions`: "Report"), links that work without JavaScript.
    menu: mode === 'page' && !deleted ? menu : [],
    next,
    max,
    replies: [] as unknown[],
  };
}

/**
 * The data of one comments panel per commentable entity. `input` fills the form of one
 * entity (a refused submission shown again).
 */
export async function commentPanels(
  ctx: RucheContext,
  entities: readonly EntityRef[],
  mode: 'feed' | 'page',
  input: { entityId: number } & ThreadInput = { entityId: 0 },
): Promise<EntityPanel[]> {
  const s = service(ctx);
  const list = entities.filter((e) => s.isCommentable(e.type));
  if (!list.length) return [];
  const ids = [...new Set(list.map((e) => e.id))];
  const cursor = mode === 'page' ? namedCursorParams(ctx, THREAD_PARAMS, ...THREAD_CURSOR) : {};
  // One statement for a whole feed (the latest comments, their authors, the counts), one for an
  // entity's page of its thread (see CommentsService.pageOf), each as this reader may see them:
  // a comment a moderator hid is its author's and the moderators' only (reads.ts).
  const reader = readerFor(ctx);
  const loaded: ThreadPage =
    mode === 'feed'
      ? { ...(await s.feedOf(ids, reader)), replies: [], totals: new Map(), prev: null, next: null }
      : await s.pageOf(ids, reader, cursor);
  const { counts, authors } = loaded;
  const replyTo = mode === 'page' ? idOf(queryParam(ctx, REPLY_PARAM)) : 0;
  const viewer: Viewer | null = ctx.state.viewer;
  const networkId = ctx.state.network.id;
  const canWrite = !!viewer && ctx.ruche.permissions.can(viewer, WRITE, networkId);
  // Forms come back to this page, without the open reply form.
  const next = replyTo ? hrefWith(ctx, { [REPLY_PARAM]: null }) : ctx.originalUrl;
  const max = s.maxLength(networkId);
  const linked = await ctx.ruche.mentions.htmlLinker(
    ctx,
    ids.map((entityId) => ({ entityId })),
  );
  // The app's bounded cache of rendered text (a feed shows the same comments again and
  // again), then the comment's mentions and hashtags as links.
  const render = (c: CommentRow): string => linked({ entityId: c.entity_id, objectId: c.id }, ctx.ruche.markdown.render(c.body));
  // Files attached to the comments (core/content/attachments.ts): one ask for the whole list;
  // on an entity's page, the new comment's form takes files too.
  const shown = [...loaded.top, ...loaded.replies].filter((c) => c.deleted_at === null && readerSees(reader, c));
  const files = await attachmentCards(
    ctx,
    shown.map((c) => ({ kind: COMMENT_KIND, id: c.id, entityId: c.entity_id })),
  );
  const menus =
    mode === 'page'
      ? await pieceActions(
          ctx,
          shown.map((c) => ({ kind: COMMENT_KIND, id: c.id, authorId: c.author_id, networkId: c.network_id, withheld: c.withheld })),
        )
      : new Map<number, EntityAction[]>();
  const attach = mode === 'page' && canWrite ? await attachmentField(ctx, COMMENT_KIND) : null;
  const withFiles = <T extends { id: number }>(view: T) => ({
    ...view,
    attachments: files.get(parentKey({ kind: COMMENT_KIND, id: view.id })) ?? null,
  });

  return list.map((e, i) => {
    const here = `${next.split('#')[0]}#comments-${e.id}`;
    const top = loaded.top
      .filter((c) => c.entity_id === e.id)
      .map((c) => {
        const view = withFiles(commentView(ctx, c, authors, e, here, mode, max, replyTo, render, menus.get(c.id) ?? [], reader));
        view.replies = loaded.replies
          .filter((r) => r.parent_id === c.id)
          .map((r) => withFiles(commentView(ctx, r, authors, e, here, mode, max, replyTo, render, menus.get(r.id) ?? [], reader)));
        return view;
      });
    // What the reader sees: what a moderator hid counts for its author and the moderators only (reads.ts).
    const count = counts.get(e.id) ?? 0;
    const links =
      mode === 'page'
        ? cursorPager(ctx, { items: loaded.top, prev: loaded.prev, next: loaded.next }, cursor, { names: THREAD_PARAMS, drop: [REPLY_PARAM] })
        : null;
    const at = (href: string | null) => (href ? `${href}#comments-${e.id}` : null);
    const threadHref = link(ctx, 'comments.thread', { id: e.id });
    const own = input.entityId === e.id;
    const stylesheet = i === 0;
    return {
      entityId: e.id,
      id: 'comments',
      template: 'comments/partials/panel',
      order: 60,
      data: {
        entityId: e.id,
        // The stylesheet once per list, not once per card.
        stylesheet,
        mode,
        feed: mode === 'feed',
        count,
        countLabel: t(ctx, 'comments.panel.count', { count }),
        comments: top,
        // In a feed, a link to the whole thread when there is more than what is shown.
        more:
          mode === 'feed' && count > top.length
            ? { href: `${threadHref}?next=${encodeURIComponent(here)}`, label: t(ctx, 'comments.panel.all', { count }) }
            : null,
        pager: links && (links.prev || links.next) ? { prev: at(links.prev), next: at(links.next) } : null,
        canWrite,
        signIn: viewer ? null : `${ctx.state.basePath}/login?next=${encodeURIComponent(next)}`,
        action: link(ctx, 'comments.create', { id: e.id }),
        next: here,
        body: own ? (input.body ?? '') : '',
        error: own ? (input.error ?? null) : null,
        max,
        attach,
      },
      // In a feed, what the data is a function of (with the locale and the base path): a kept card
      // is keyed by it. A thread page's panel (cursors, reply forms, menus) is keyed by its data.
      key:
        mode === 'feed' && !own
          ? [
              stylesheet,
              count,
              canWrite,
              viewer?.id ?? null,
              ctx.ruche.access.canModerate(viewer, { network_id: e.networkId }),
              ctx.originalUrl,
              max,
              loaded.top.filter((c) => c.entity_id === e.id).map((c) => feedCommentKey(c, authors, reader, linked, files)),
            ]
          : undefined,
      // Versioned (core/hooks/map.ts): a comment's row bumps the entity's version (migration 006), its
      // author's name and avatar the members' card version, its files' rows the entity's version (files
      // migration 008). On a page, its menus too when each entry promised it; never with a refused form.
      versioned: !own && (mode === 'feed' || [...menus.values()].every((m) => m.every((a) => a.versioned === true))),
    };
  });
}

/**
 * What a comment of a feed's panel is a function of (`commentView` in feed mode): its row's
 * shown facts, its author's, its body with the links of its mentions, its attached files' cards.
 */
function feedCommentKey(
  c: CommentRow,
  authors: Map<number, CommentAuthor>,
  reader: PieceReader,
  linked: HtmlLinker,
  files: Map<string, unknown>,
): unknown[] {
  const author = authors.get(c.author_id);
  return [
    c.id,
    c.deleted_at !== null,
    readerSees(reader, c),
    !!c.withheld,
    c.author_id,
    author ? [author.username, author.display_name, author.photo_key, !!author.is_bot] : null,
    c.body,
    linked.keyOf({ entityId: c.entity_id, objectId: c.id }),
    c.created_at,
    c.edited_at,
    files.get(parentKey({ kind: COMMENT_KIND, id: c.id })) ?? null,
  ];
}
