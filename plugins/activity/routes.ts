/**
 * Pages: the network feed, my home feed (also a section of the home page), a status post,
 * its edit form, tag pages with follow/unfollow, a member's activity; and the forms that
 * post, edit, delete and pin. Handlers are thin; StatusService holds the rules.
 */
import {
  acceptAttachments,
  entityPanels,
  entityRef,
  field,
  HttpError,
  link,
  beforeParam,
  requireReader,
  safeNext,
  back,
  t,
  type FeedQuery,
  type RouteDef,
  type RouteResult,
  type RucheContext,
  titledPage,
} from '../../core';
import { loadBelowAnnouncements, loadFeed } from './feed';
import { statusViews } from './describe';
import { composer, composerActions } from './compose';
import { notFound, STATUS, StatusService, type StatusInput, type StatusRow } from './service';
import { ANNOUNCE, memberByUsername, POST, tagParam } from './params';

const service = (ctx: RucheContext): StatusService => ctx.ruche.container.resolve(StatusService);

/** The status post of `:id` if the viewer may see it in this network; else one answer (404, or 401 for a guest) whatever the reason. */
export async function findVisible(ctx: RucheContext): Promise<StatusRow> {
  const post = await service(ctx).find(Number(ctx.params.id));
  // Missing, elsewhere or not visible: one and the same answer, so nothing leaks.
  if (!post || Number(post.network_id) !== ctx.state.network.id || !(await ctx.ruche.access.canSee(ctx.state.viewer, post))) {
    throw ctx.state.viewer ? notFound() : new HttpError(401);
  }
  return post;
}

/** The visible status post of `:id` when the viewer moderates its network (pin, unpin). */
async function moderatedStatus(ctx: RucheContext): Promise<StatusRow> {
  const post = await findVisible(ctx);
  if (!ctx.ruche.access.canModerate(ctx.state.viewer, post)) throw new HttpError(403, 'activity.errors.notModerator');
  return post;
}

/** Back to the form's `next`, else to the post's page, saying what was done. */
const backToStatus = (ctx: RucheContext, post: StatusRow, flash: string): RouteResult =>
  back(ctx, link(ctx, 'activity.status.view', { id: post.id }), flash);

/** The last moment of the day posted as `until` (YYYY-MM-DD, still to come): until when a status stays on top. */
function pinnedUntil(ctx: RucheContext): number {
  const until = Date.parse(`${field(ctx, 'until')}T23:59:59Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(field(ctx, 'until')) || !Number.isFinite(until) || until <= Date.now())
    throw new HttpError(400, 'activity.errors.pinDate');
  return until;
}

/** A moderator puts a status on top of the network's feed (`until`), or takes it off (null). */
const pinRoute = (action: 'pin' | 'unpin', flash: string, until: (ctx: RucheContext) => number | null): RouteDef => ({
  name: `activity.status.${action}`,
  method: 'POST',
  path: `/status/:id/${action}`,
  capability: ANNOUNCE,
  async handler(ctx) {
    const post = await moderatedStatus(ctx);
    await service(ctx).pin(post, until(ctx));
    return backToStatus(ctx, post, flash);
  },
});

/**
 * The network's feed (no `sources`) or my home feed (`sources`: where I follow, `homeSources`): the network's pinned
 * announcements on top of the first page, then the feed without them.
 */
async function feedPage(
  ctx: RucheContext,
  titleKey: string,
  sources: Pick<FeedQuery, 'where' | 'whereKey'>,
  extra: { composer: unknown; atom?: string },
): Promise<RouteResult> {
  const { feed, pinned } = await loadBelowAnnouncements(ctx, { networkIds: [ctx.state.network.id], ...sources, before: beforeParam(ctx) });
  return titledPage(ctx, 'activity/network', titleKey, { feed, pinned, ...extra });
}

/** The form that edits my status `id`: what is in it (`body`) and, when it was refused, why (400). */
function editPage(ctx: RucheContext, id: number, body: string, error: string | null): RouteResult {
  const max = service(ctx).maxLength(ctx.state.network.id);
  return { ...titledPage(ctx, 'activity/edit', 'activity.edit.title', { id, body, error, max }), status: error ? 400 : undefined };
}

export const activityRoutes: RouteDef[] = [
  {
    name: 'activity.network',
    method: 'GET',
    path: '/activity',
    public: true,
    async handler(ctx) {
      requireReader(ctx);
      const canPost = ctx.ruche.permissions.can(ctx.state.viewer, POST, ctx.state.network.id);
      return feedPage(
        ctx,
        'activity.network.title',
        {},
        {
          composer: canPost ? await composer(ctx) : null,
          atom: link(ctx, 'activity.atom'),
        },
      );
    },
  },
  {
    name: 'activity.home',
    method: 'GET',
    path: '/feed',
    capability: POST,
    async handler(ctx) {
      const sources = service(ctx).homeSources(ctx.state.viewer!, ctx.state.network.id);
      return feedPage(ctx, 'activity.home.title', sources, { composer: await composer(ctx) });
    },
  },
  {
    name: 'activity.status.create',
    method: 'POST',
    path: '/status',
    capability: POST,
    async handler(ctx) {
      const viewer = ctx.state.viewer!;
      const networkId = ctx.state.network.id;
      const containerRaw = field(ctx, 'container');
      const input = {
        body: field(ctx, 'body'),
        access: field(ctx, 'access') || service(ctx).defaultAccess(networkId),
        containerId: /^\d+$/.test(containerRaw) ? Number(containerRaw) : null,
      };
      const errors = await service(ctx).validate(viewer, networkId, input);
      // Attached files are judged with the form, before anything is saved (core/content/attachments.ts).
      const files = Object.keys(errors).length
        ? null
        : await acceptAttachments(ctx, STATUS, { networkId, containerId: input.containerId, access: input.access });
      if (!files || files.problems.length) {
        const title = t(ctx, 'activity.compose.title');
        const status = files ? files.status : 400;
        return { view: 'activity/compose', status, title, data: { pageTitle: title, composer: await composer(ctx, input, errors, files?.problems) } };
      }
      const id = await service(ctx).create(viewer, networkId, input);
      await files.save({ kind: STATUS, id, entityId: id });
      // "Post and …": another plugin's next step for the new post.
      const then = field(ctx, 'then') ? (await composerActions(ctx)).find((a) => a.id === field(ctx, 'then')) : undefined;
      if (then) return { redirect: then.next(id), flash: 'activity.flash.posted' };
      return { redirect: safeNext(ctx, link(ctx, 'activity.status.view', { id })), flash: 'activity.flash.posted' };
    },
  },
  {
    name: 'activity.status.view',
    method: 'GET',
    path: '/status/:id',
    public: true,
    async handler(ctx) {
      const post = await findVisible(ctx);
      const [views, author, panels] = await Promise.all([
        statusViews(ctx, [post]),
        ctx.ruche.users.byId(post.owner_id),
        entityPanels(ctx, [entityRef(post)], 'page'),
      ]);
      if (!author) throw new HttpError(404, 'activity.errors.notFound');
      const title = t(ctx, 'activity.status.title', { name: author.display_name });
      return {
        view: 'activity/status',
        title,
        data: {
          post: views.get(post.id),
          id: post.id,
          createdAt: Number(post.created_at),
          accessLabel: t(ctx, `core.access.${post.access}`),
          authorName: author.display_name,
          authorHref: link(ctx, 'profiles.view', { username: author.username }),
          canDelete: ctx.ruche.access.canEdit(ctx.state.viewer, post),
          panels: panels.get(post.id) ?? [],
          deleteNext: link(ctx, 'activity.network'),
        },
      };
    },
  },
  {
    name: 'activity.status.edit',
    method: 'GET',
    path: '/status/:id/edit',
    capability: POST,
    async handler(ctx) {
      const post = await ownPost(ctx);
      return editPage(ctx, post.id, post.body, null);
    },
  },
  {
    name: 'activity.status.update',
    method: 'POST',
    path: '/status/:id/edit',
    capability: POST,
    async handler(ctx) {
      const post = await ownPost(ctx);
      const body = field(ctx, 'body');
      const input: StatusInput = { body, access: post.access, containerId: post.container_id === null ? null : Number(post.container_id) };
      const errors = await service(ctx).validate(ctx.state.viewer!, ctx.state.network.id, input);
      if (errors.body) return editPage(ctx, post.id, body, t(ctx, errors.body.key, errors.body.params));
      await service(ctx).edit(ctx.state.viewer!, post, input.body, input.screened);
      return { redirect: link(ctx, 'activity.status.view', { id: post.id }), flash: 'activity.flash.saved' };
    },
  },
  {
    name: 'activity.status.delete',
    method: 'POST',
    path: '/status/:id/delete',
    capability: POST,
    async handler(ctx) {
      const post = await findVisible(ctx);
      if (!ctx.ruche.access.canEdit(ctx.state.viewer, post)) throw new HttpError(403, 'activity.errors.notYours');
      await service(ctx).remove(post);
      return {
        redirect: safeNext(ctx, link(ctx, 'activity.network'), { avoid: [link(ctx, 'activity.status.view', { id: post.id })] }),
        flash: 'activity.flash.deleted',
      };
    },
  },
  pinRoute('pin', 'activity.flash.pinned', pinnedUntil),
  pinRoute('unpin', 'activity.flash.unpinned', () => null),
  {
    name: 'activity.tag',
    method: 'GET',
    path: '/tags/:tag',
    public: true,
    async handler(ctx) {
      requireReader(ctx);
      const tag = tagParam(ctx);
      const viewer = ctx.state.viewer;
      const feed = await loadFeed(
        ctx,
        {
          networkIds: [ctx.state.network.id],
          tag,
          verbs: ['posted', 'published', 'started'],
          before: beforeParam(ctx),
        },
        { kept: true },
      );
      const following = viewer ? await service(ctx).followsTag(viewer.id, ctx.state.network.id, tag) : false;
      const title = `#${tag}`;
      return {
        view: 'activity/tag',
        title,
        data: {
          pageTitle: title,
          tag,
          feed,
          following,
          canFollow: ctx.ruche.permissions.can(viewer, POST, ctx.state.network.id),
          followAction: link(ctx, 'activity.tag.follow', { tag }),
          unfollowAction: link(ctx, 'activity.tag.unfollow', { tag }),
          atom: link(ctx, 'activity.tag.atom', { tag }),
        },
      };
    },
  },
  {
    name: 'activity.tag.follow',
    method: 'POST',
    path: '/tags/:tag/follow',
    capability: POST,
    async handler(ctx) {
      const tag = tagParam(ctx);
      const done = await service(ctx).followTag(ctx.state.viewer!.id, ctx.state.network.id, tag);
      const flash = done
        ? { key: 'activity.flash.tagFollowed', params: { tag } }
        : { type: 'info' as const, key: 'activity.flash.tagAlready', params: { tag } };
      return { redirect: link(ctx, 'activity.tag', { tag }), flash };
    },
  },
  {
    name: 'activity.tag.unfollow',
    method: 'POST',
    path: '/tags/:tag/unfollow',
    capability: POST,
    async handler(ctx) {
      const tag = tagParam(ctx);
      await service(ctx).unfollowTag(ctx.state.viewer!.id, ctx.state.network.id, tag);
      return { redirect: link(ctx, 'activity.tag', { tag }), flash: { key: 'activity.flash.tagUnfollowed', params: { tag } } };
    },
  },
  {
    name: 'activity.profile',
    method: 'GET',
    path: '/people/:username/activity',
    public: true,
    async handler(ctx): Promise<RouteResult> {
      requireReader(ctx);
      const member = await memberByUsername(ctx);
      const feed = await loadFeed(ctx, { networkIds: [ctx.state.network.id], actorId: member.id, before: beforeParam(ctx) }, { kept: true });
      return titledPage(
        ctx,
        'activity/profile',
        'activity.profile.title',
        {
          feed,
          profileHref: link(ctx, 'profiles.view', { username: member.username }),
          name: member.display_name,
          atom: link(ctx, 'activity.profile.atom', { username: member.username }),
        },
        { name: member.display_name },
      );
    },
  },
];

/** The visible status post of `:id` when it is the viewer's own (edit). */
export async function ownPost(ctx: RucheContext): Promise<StatusRow> {
  const post = await findVisible(ctx);
  if (Number(post.owner_id) !== ctx.state.viewer!.id) throw new HttpError(403, 'activity.errors.notYours');
  return post;
}
