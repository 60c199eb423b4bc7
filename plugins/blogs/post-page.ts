/**
 * A post's page (issue 18): its article and its panels (actions menu, reactions, comments, files)
 * are kept by the post's version (`entities.version`: a write of the post, its tags and mentions, a
 * reaction, a comment, an attached file, a moderator's hiding, each bumps it, by any writer). The
 * article — head, cover, body with its mentions, tags, and the author's edit links when the viewer
 * may edit — is the same for every viewer of a version (their own part, may I edit, is a plain
 * fact of its key); the panels hold the viewer's own (my reaction, the comment form, each comment's
 * menu), so their key holds the viewer and the page's address (core/content/kept-pages.ts). A part
 * taken from the cache is not read: on a page whose both parts are kept, the post's row, the
 * session and the page's shell are all that is read.
 */
import {
  avatarUrl,
  entityPanels,
  entityRef,
  keptPageFacts,
  link,
  t,
  tagLinks,
  takeKept,
  type EntityPanel,
  type KeptFragment,
  type RouteResult,
  type RucheContext,
} from '../../core';
import { coverUrl } from './cover';
import { statusLabel, visiblePost } from './params';
import type { PostRow } from './service';

const ARTICLE = 'blogs/partials/post-article';
const PANELS = 'core/partials/entity-panels';

/** A kept part (`kept`), or what renders it (`data`) with the key it is kept under (undefined: rendered every time). */
type Part = { kept: KeptFragment; data?: undefined; key?: undefined } | { kept?: undefined; data: Record<string, unknown>; key: unknown };

async function article(ctx: RucheContext, post: PostRow, canEdit: boolean, key: unknown): Promise<Part> {
  const kept = key === undefined ? undefined : takeKept(ctx, ARTICLE, key);
  if (kept) return { kept };
  const rt = ctx.ruche;
  const [tags, html] = await Promise.all([rt.entities.tagsOf([post.id]), rt.mentions.linkHtml(ctx, { entityId: post.id }, post.body_html)]);
  const data = {
    post: {
      id: post.id,
      title: post.title,
      html,
      cover: coverUrl(ctx, post.id, post.cover_key, 1200),
      publishedAt: post.published_at,
      publishAt: post.publish_at,
      editedAt: post.edited_at,
      status: statusLabel(ctx, post),
      scheduled: post.status === 'scheduled',
      accessLabel: t(ctx, `core.access.${post.access}`),
      tags: tagLinks(ctx, 'blogs.network', tags.get(post.id) ?? []),
    },
    author: {
      name: post.author_name,
      href: link(ctx, 'blogs.author', { username: post.author_username }),
      avatar: avatarUrl(ctx, { id: post.owner_id, photo_key: post.author_photo_key }, 64),
    },
    containerHref: post.container_id ? link(ctx, 'blogs.container', { containerId: post.container_id }) : null,
    canEdit,
    editHref: link(ctx, 'blogs.edit', { id: post.id }),
    revisionsHref: link(ctx, 'blogs.revisions', { id: post.id }),
    deleteAction: link(ctx, 'blogs.delete', { id: post.id }),
  };
  return { data, key };
}

async function panels(ctx: RucheContext, post: PostRow, key: unknown): Promise<Part> {
  const kept = key === undefined ? undefined : takeKept(ctx, PANELS, key);
  if (kept) return { kept };
  const list: EntityPanel[] = post.status === 'published' ? ((await entityPanels(ctx, [entityRef(post)], 'page')).get(post.id) ?? []) : [];
  // Kept only when every panel promised to be a function of the version, the viewer and the page (core/hooks/map.ts).
  return { data: { panels: list }, key: list.every((p) => p.versioned === true) ? key : undefined };
}

export async function postPage(ctx: RucheContext): Promise<RouteResult> {
  // The facts first: a name or a setting read after them is as new as they say, or newer.
  const facts = await keptPageFacts(ctx);
  const post = await visiblePost(ctx);
  const canEdit = ctx.ruche.access.canEdit(ctx.state.viewer, post);
  const version = post.version;
  const [head, below] = await Promise.all([
    article(ctx, post, canEdit, facts ? ['blogs/post', post.id, version, canEdit, facts.shared] : undefined),
    panels(ctx, post, facts ? ['blogs/post-panels', post.id, version, facts.viewer] : undefined),
  ]);
  return { view: 'blogs/post', title: post.title, data: { postId: post.id, article: head, panels: below } };
}
