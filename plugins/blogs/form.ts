/**
 * Writing: the new/edit form (one multipart form with the cover), create, update, delete.
 * A refused form is shown again with the member's input, a localised message per field and
 * a 400; forged ids are 404s.
 */
import { field, link, queryParam, setFlash, t, uploadedFiles, type RouteDef, type RouteResult, type RucheContext } from '../../core';
import { MAX_COVER_BYTES, coverUrl, readCover, storeCover } from './cover';
import { WRITE, editablePost, service } from './params';
import { STATUSES, formatDateTime, type PostInput, type PostRow, type Problems } from './service';

function readInput(ctx: RucheContext, containerId: number | null): PostInput {
  return {
    title: field(ctx, 'title'),
    body: field(ctx, 'body'),
    tags: field(ctx, 'tags'),
    access: field(ctx, 'access'),
    status: field(ctx, 'status') || 'draft',
    publishAt: field(ctx, 'publish_at'),
    containerId,
    removeCover: field(ctx, 'remove_cover') === '1',
  };
}

function inputOf(post: PostRow, tags: string[]): PostInput {
  return {
    title: post.title,
    body: post.body,
    tags: tags.join(', '),
    access: post.access,
    status: post.status,
    publishAt: formatDateTime(post.publish_at),
    containerId: post.container_id,
    removeCover: false,
  };
}

function formPage(ctx: RucheContext, input: PostInput, problems: Problems = {}, post?: PostRow): RouteResult {
  const svc = service(ctx);
  const networkId = ctx.state.network.id;
  const errors = Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, t(ctx, p.key, p.params)]));
  const levels = input.containerId ? ['group'] : svc.accessLevels(networkId);
  if (post && !input.containerId && !levels.includes(post.access as never)) levels.push(post.access as never);
  const title = post ? t(ctx, 'blogs.form.editTitle') : t(ctx, 'blogs.form.newTitle');
  return {
    view: 'blogs/edit',
    title,
    status: Object.keys(problems).length ? 400 : undefined,
    data: {
      pageTitle: title,
      action: post ? link(ctx, 'blogs.update', { id: post.id }) : link(ctx, 'blogs.create'),
      cancelHref: post ? link(ctx, 'blogs.view', { id: post.id }) : link(ctx, 'blogs.network'),
      values: input,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      accessOptions: levels.map((v) => ({
        value: v,
        label: t(ctx, `core.access.${v}`),
        selected: v === (input.containerId ? 'group' : input.access),
      })),
      statusOptions: STATUSES.map((v) => ({ value: v, label: t(ctx, `blogs.form.status.${v}`), checked: v === input.status, id: `status-${v}` })),
      cover: post ? coverUrl(ctx, post.id, post.cover_key, 480) : null,
      maxCoverMb: MAX_COVER_BYTES / 1024 / 1024,
      isEdit: !!post,
    },
  };
}

/** Reads the form and the cover; the clean post, or the page to show again. */
async function readForm(ctx: RucheContext, containerId: number | null, post?: PostRow) {
  const input = readInput(ctx, containerId);
  const { clean, problems } = service(ctx).validate(ctx.state.network.id, input, Date.now(), post);
  const { cover, error } = await readCover(uploadedFiles(ctx).find((f) => f.field === 'cover'));
  if (error) problems.cover = error;
  if (!clean || error) {
    if (!problems._form) problems._form = { key: 'core.form.hasErrors' };
    return { page: formPage(ctx, input, problems, post) };
  }
  if (cover) await storeCover(ctx.ruche.storage, cover);
  return { clean, cover, removeCover: input.removeCover };
}

function containerOf(raw: string): number | null {
  return /^\d{1,15}$/.test(raw) ? Number(raw) : raw ? -1 : null;
}

export const formRoutes: RouteDef[] = [
  {
    name: 'blogs.new',
    method: 'GET',
    path: '/blogs/new',
    capability: WRITE,
    async handler(ctx) {
      const containerId = containerOf(queryParam(ctx, 'container'));
      if (containerId !== null) await service(ctx).requireContainer(ctx.state.viewer!, containerId, ctx.state.network.id);
      const access = service(ctx).defaultAccess(ctx.state.network.id);
      return formPage(ctx, { title: '', body: '', tags: '', access, status: 'published', publishAt: '', containerId, removeCover: false });
    },
  },
  {
    name: 'blogs.create',
    method: 'POST',
    path: '/blogs',
    capability: WRITE,
    async handler(ctx) {
      const viewer = ctx.state.viewer!;
      const containerId = containerOf(field(ctx, 'container'));
      if (containerId !== null) await service(ctx).requireContainer(viewer, containerId, ctx.state.network.id);
      const form = await readForm(ctx, containerId);
      if ('page' in form) return form.page;
      const id = await service(ctx).create(viewer, ctx.state.network.id, containerId, form.clean, form.cover);
      setFlash(ctx, { type: 'success', key: `blogs.flash.${form.clean.status}` });
      return { redirect: link(ctx, 'blogs.view', { id }) };
    },
  },
  {
    name: 'blogs.edit',
    method: 'GET',
    path: '/blogs/:id/edit',
    capability: WRITE,
    async handler(ctx) {
      const post = await editablePost(ctx);
      const tags = await ctx.ruche.entities.tagsOf([post.id]);
      return formPage(ctx, inputOf(post, tags.get(post.id) ?? []), {}, post);
    },
  },
  {
    name: 'blogs.update',
    method: 'POST',
    path: '/blogs/:id/edit',
    capability: WRITE,
    async handler(ctx) {
      const post = await editablePost(ctx);
      const form = await readForm(ctx, post.container_id, post);
      if ('page' in form) return form.page;
      await service(ctx).update(ctx.state.viewer!, post, form.clean, form.cover, form.removeCover);
      setFlash(ctx, { type: 'success', key: form.clean.status === post.status ? 'blogs.flash.saved' : `blogs.flash.${form.clean.status}` });
      return { redirect: link(ctx, 'blogs.view', { id: post.id }) };
    },
  },
  {
    name: 'blogs.delete',
    method: 'POST',
    path: '/blogs/:id/delete',
    capability: WRITE,
    async handler(ctx) {
      const post = await editablePost(ctx);
      await service(ctx).remove(ctx.state.viewer!, post);
      setFlash(ctx, { type: 'success', key: 'blogs.flash.deleted' });
      return { redirect: link(ctx, 'blogs.network') };
    },
  },
];
