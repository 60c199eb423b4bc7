/**
 * Writing: the new/edit form (one multipart form with the cover, built by the core's
 * `articleFormRoutes`), and delete. A refused form is shown again with the member's input, a
 * localised message per field and a 400; forged ids are 404s.
 */
import {
  articleFormRoutes,
  blankArticle,
  field,
  postedArticle,
  toLocalInput,
  uploadedFiles,
  t,
  zoneOr,
  type RouteDef,
  type RucheContext,
  z,
} from '../../core';
import { MAX_COVER_BYTES, coverUrl, readCover, storeCover, type Cover } from './cover';
import { WRITE, editablePost, service } from './params';
import { BLOG_POST, STATUSES, type CleanPost, type PostInput, type PostRow } from './service';

/** A valid post, with the cover it brings (already stored) or the removal of its cover. */
interface PostForm {
  post: CleanPost;
  cover?: Cover;
  removeCover: boolean;
}

export const formRoutes: RouteDef[] = articleFormRoutes<PostRow, PostInput, PostForm>({
  plugin: 'blogs',
  kind: BLOG_POST,
  path: '/blogs',
  capability: WRITE,
  service: (ctx) => service(ctx).posting,
  editable: editablePost,
  remove: (ctx, post) => service(ctx).remove(ctx.state.viewer!, post),
  // Files attached to a post (core/content/attachments.ts): shown under it, seen by who sees it.
  attachments: BLOG_POST,
  api: {
    summary: 'Writes a blog post (a draft unless `status` says otherwise, as the form), in the network or a container.',
    fields: { status: z.enum(STATUSES).optional(), publish_at: z.string().optional(), time_zone: z.string().optional() },
  },
  blank: (access, containerId) => ({
    ...blankArticle(access, containerId),
    status: 'published',
    publishAt: '',
    timeZone: '',
    removeCover: false,
  }),
  read: (ctx, containerId) => ({
    ...postedArticle(ctx, containerId),
    status: field(ctx, 'status') || 'draft',
    publishAt: field(ctx, 'publish_at'),
    // The member's zone (account page), else the one their browser sent (time-zone.js).
    timeZone: ctx.state.viewer?.timeZone || field(ctx, 'time_zone'),
    removeCover: field(ctx, 'remove_cover') === '1',
  }),
  inputOf: (post, tags, ctx) => ({
    title: post.title,
    body: post.body,
    tags: tags.join(', '),
    access: post.access,
    status: post.status,
    publishAt: toLocalInput(post.publish_at, zoneOr(ctx.state.viewer?.timeZone)),
    timeZone: zoneOr(ctx.state.viewer?.timeZone),
    containerId: post.container_id,
    removeCover: false,
  }),
  async check(ctx, input, old) {
    const { clean, problems } = service(ctx).validate(ctx.state.network.id, input, Date.now(), old);
    const { cover, error } = await readCover(uploadedFiles(ctx).find((f) => f.field === 'cover'));
    if (error) problems.cover = error;
    if (!clean || error) return { problems };
    if (cover) await storeCover(ctx.ruche.storage, cover);
    return { problems, value: { post: clean, cover, removeCover: input.removeCover } };
  },
  publishes: ({ post }) => post.status === 'published',
  async create(ctx, containerId, { post, cover }, held) {
    const id = await service(ctx).create(ctx.state.viewer!, ctx.state.network.id, containerId, post, cover, held);
    return { id, flash: held ? 'blogs.flash.held' : `blogs.flash.${post.status}` };
  },
  async update(ctx, old, { post, cover, removeCover }, held) {
    await service(ctx).update(ctx.state.viewer!, old, post, cover, removeCover, held);
    if (held) return 'blogs.flash.held';
    return post.status === old.status ? 'blogs.flash.saved' : `blogs.flash.${post.status}`;
  },
  fields: (ctx: RucheContext, input, post) => ({
    statusOptions: STATUSES.map((v) => ({ value: v, label: t(ctx, `blogs.form.status.${v}`), checked: v === input.status, id: `status-${v}` })),
    cover: post ? coverUrl(ctx, post.id, post.cover_key, 480) : null,
    maxCoverMb: MAX_COVER_BYTES / 1024 / 1024,
    // The zone the date is read in; without one yet, the browser fills it in (time-zone.js).
    timeZone: ctx.state.viewer?.timeZone || input.timeZone,
    zoneChosen: !!ctx.state.viewer?.timeZone,
  }),
});
