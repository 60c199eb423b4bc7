/**
 * Album routes: create one (in my files or a container's library), its page (a grid of
 * thumbnails, search and sort, the upload form and settings for who manages it), change it
 * (title, description, cover, level: its photos follow), delete it with its photos. A photo's
 * own page is the viewer (view.ts `albumNav`: previous / next as plain links).
 */
import {
  activeViewer,
  cursorPager,
  entityPanels,
  entityRef,
  field,
  HttpError,
  idOf,
  idParam,
  link,
  personCards,
  requireMember,
  t,
  type AccessLevel,
  type RouteDef,
  type RouteResult,
  type RucheContext,
} from '../../core';
import { albums, visibleAlbum } from './album-access';
import type { AlbumRow } from './albums';
import { USE } from './constants';
import { errorsOf, uploadForm, type Refusal } from './pages';
import { listQuery, mayManage, service } from './params';
import { uploadTarget } from './target';
import { imageHref, sortOptions } from './view';

const MAX_DESCRIPTION = 2000;

function albumFields(ctx: RucheContext) {
  const title = field(ctx, 'title').trim();
  if (!title || title.length > 120) throw new HttpError(400, 'files.errors.albumTitle');
  const description = field(ctx, 'description').trim();
  if (description.length > MAX_DESCRIPTION) throw new HttpError(400, 'files.errors.albumDescription', { max: MAX_DESCRIPTION });
  return { title, description: description || null };
}

/** Where an album's photos are listed: its container's library, or its owner's files. */
const homeOf = (ctx: RucheContext, album: { container_id: number | null }): string =>
  album.container_id ? link(ctx, 'files.library', { containerId: album.container_id }) : link(ctx, 'files.mine');

/** The levels who manages an album may give it: those of its container, or of one's own space. */
async function levelsFor(ctx: RucheContext, album: AlbumRow): Promise<AccessLevel[]> {
  const viewer = requireMember(ctx);
  if (!album.container_id) return service(ctx).accessLevels(album.network_id);
  const policy = await ctx.ruche.containers.policy(viewer, album.container_id, album.network_id);
  return policy.allowedAccess.length ? policy.allowedAccess : [album.access as AccessLevel];
}

async function create(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const place = await uploadTarget(ctx);
  if (place.albumId) throw new HttpError(400, 'files.errors.albumTitle');
  const id = await albums(ctx).create(viewer, ctx.state.network.id, place, albumFields(ctx));
  return { redirect: link(ctx, 'files.album', { id }), flash: 'files.album.created' };
}

export async function albumPage(ctx: RucheContext, id = idParam(ctx), refusal?: Refusal): Promise<RouteResult> {
  const svc = albums(ctx);
  const album = await visibleAlbum(ctx, id, svc);
  const viewer = activeViewer(ctx);
  const q = listQuery(ctx, true);
  const [page, people, canManage, panels] = await Promise.all([
    service(ctx).list(viewer, album.network_id, { albumId: album.id, ...q }),
    personCards(ctx, [album.owner_id]),
    mayManage(ctx, album),
    entityPanels(ctx, [entityRef(album)], 'page'),
  ]);
  const here = link(ctx, 'files.album', { id: album.id });
  const levels = canManage ? await levelsFor(ctx, album) : [];
  const photos = canManage ? await service(ctx).list(viewer, album.network_id, { albumId: album.id, sort: 'date' }) : null;
  return {
    view: 'files/album',
    title: album.title,
    status: refusal?.status,
    data: {
      album: {
        id: album.id,
        title: album.title,
        description: album.description,
        accessLabel: t(ctx, `core.access.${album.access}`),
        createdAt: album.created_at,
      },
      owner: people.get(album.owner_id) ?? null,
      backHref: homeOf(ctx, album),
      errors: errorsOf(ctx, refusal),
      search: { action: here, q: q.q, sorts: sortOptions(ctx, q.sort, true) },
      photos: page.items.map((f) => ({
        id: f.id,
        name: f.name,
        caption: f.caption,
        href: link(ctx, 'files.view', { id: f.id }),
        thumb: f.thumb_key ? imageHref(ctx, f.id, 'thumb') : null,
      })),
      pager: cursorPager(ctx, page, q.cursor, { sort: q.sort }),
      upload: canManage
        ? uploadForm(ctx, { levels: [], selected: album.access as AccessLevel, containerId: null, folderId: null, next: here, albumId: album.id })
        : null,
      edit: canManage
        ? {
            action: link(ctx, 'files.album.edit', { id: album.id }),
            deleteAction: link(ctx, 'files.album.delete', { id: album.id }),
            title: album.title,
            description: album.description ?? '',
            accessOptions: levels.map((v) => ({ value: v, label: t(ctx, `core.access.${v}`), selected: v === album.access })),
            covers: [
              { id: '', name: t(ctx, 'files.album.coverFirst'), selected: !album.cover_id },
              ...(photos?.items ?? []).map((p) => ({ id: p.id, name: p.name, selected: p.id === album.cover_id })),
            ],
          }
        : null,
      panels: panels.get(album.id) ?? [],
    },
  };
}

async function manageableAlbum(ctx: RucheContext): Promise<AlbumRow> {
  requireMember(ctx);
  const album = await visibleAlbum(ctx, idParam(ctx));
  if (!(await mayManage(ctx, album))) throw new HttpError(403, 'files.errors.notYours');
  return album;
}

async function edit(ctx: RucheContext): Promise<RouteResult> {
  const album = await manageableAlbum(ctx);
  const fields = albumFields(ctx);
  const levels = await levelsFor(ctx, album);
  const access = levels.find((l) => l === field(ctx, 'access')) ?? (album.access as AccessLevel);
  const coverId = idOf(field(ctx, 'cover')) || null;
  if (coverId) {
    const cover = await service(ctx).find(coverId);
    if (!cover || cover.album_id !== album.id) throw new HttpError(400, 'files.errors.albumCover');
  }
  await albums(ctx).update(album, { ...fields, access, coverId });
  return { redirect: link(ctx, 'files.album', { id: album.id }), flash: 'files.album.saved' };
}

async function remove(ctx: RucheContext): Promise<RouteResult> {
  const album = await manageableAlbum(ctx);
  await albums(ctx).remove(album, service(ctx));
  return { redirect: homeOf(ctx, album), flash: { key: 'files.album.deleted', params: { title: album.title } } };
}

export const albumRoutes: RouteDef[] = [
  { name: 'files.album.create', method: 'POST', path: '/files/albums', capability: USE, handler: create },
  { name: 'files.album', method: 'GET', path: '/files/albums/:id', public: true, handler: (ctx) => albumPage(ctx) },
  { name: 'files.album.edit', method: 'POST', path: '/files/albums/:id/edit', capability: USE, handler: edit },
  { name: 'files.album.delete', method: 'POST', path: '/files/albums/:id/delete', capability: USE, handler: remove },
];
