/**
 * Routes: my files, a container's library, uploads, a file's page, its bytes (download and
 * image variants, checked on every request), and the owner's or group admin's changes.
 * Handlers are thin: FilesService owns the database, upload.ts the checks before storing.
 */
import {
  activeViewer,
  entityPanels,
  entityRef,
  field,
  HttpError,
  idOf,
  idParam,
  link,
  personCards,
  queryParam,
  requireMember,
  requireReader,
  safeNext,
  t,
  uploadedFiles,
  type RouteDef,
  type RouteResult,
  type RucheContext,
} from '../../core';
import { albumNav } from './album-nav';
import { albumPage, albumRoutes } from './album-routes';
import { MAX_CAPTION, USE } from './constants';
import { folderRoutes } from './folders';
import { libraryPage, minePage, type Refusal } from './pages';
import { editableFile, hidden, mayManage, parentOf, service, visibleFile } from './params';
import { sendFile } from './serve';
import { scannersOf } from './scan';
import { prepare, quotaProblem, store, totalSize, type Problem, type Target } from './upload';
import { uploadTarget } from './target';
import { fileFacts, sizeLabel } from './view';
import { versionRoutes } from './versions';
import { pendingOf, versionsOf } from './version-store';

const wantsJson = (ctx: RucheContext): boolean => ctx.accepts('html', 'json') === 'json';

function refuse(ctx: RucheContext, target: Target, problems: Problem[], status: number): Promise<RouteResult> | RouteResult {
  if (wantsJson(ctx)) return { json: { errors: problems.map((p) => t(ctx, p.key, p.params)) }, status };
  const refusal: Refusal = { problems, status };
  if (target.albumId) return albumPage(ctx, target.albumId, refusal);
  return target.containerId ? libraryPage(ctx, target.containerId, target.folderId, refusal) : minePage(ctx, refusal);
}

async function upload(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const target = await uploadTarget(ctx);
  const svc = service(ctx);
  const networkId = ctx.state.network.id;
  const uploads = uploadedFiles(ctx).filter((f) => f.field === 'files');
  if (!uploads.length) return refuse(ctx, target, [{ key: 'files.errors.none' }], 400);
  // The quota is judged on the sizes sent, before any byte is processed or stored.
  const over = await quotaProblem(svc, viewer.id, networkId, target, totalSize(uploads));
  if (over) return refuse(ctx, target, [over], 413);
  const { ready, problems } = await prepare(svc, networkId, uploads);
  if (problems.length) return refuse(ctx, target, problems, problems.some((p) => p.key === 'files.errors.type') ? 415 : 422);
  // An album holds photos only.
  const notPhotos = target.albumId ? ready.filter((p) => p.file.kind !== 'image') : [];
  if (notPhotos.length)
    return refuse(
      ctx,
      target,
      notPhotos.map((p) => ({ key: 'files.errors.albumPhotos', params: { name: p.file.name } })),
      415,
    );
  // With scanners enabled, the files wait in `pending` until the scan job has asked them all.
  const checking = (await scannersOf(ctx.ruche, networkId)).length > 0;
  const ids = await store(ctx.ruche, svc, viewer, networkId, target, ready, checking);
  if (checking) await ctx.ruche.plugin('files').schedule('scan', { ids, networkId });
  const next = target.albumId
    ? link(ctx, 'files.album', { id: target.albumId })
    : ids.length === 1
      ? link(ctx, 'files.view', { id: ids[0] })
      : safeNext(ctx, target.containerId ? link(ctx, 'files.library', { containerId: target.containerId }) : link(ctx, 'files.mine'));
  if (wantsJson(ctx)) return { json: { ids, next }, status: 201 };
  return { redirect: next, flash: { key: checking ? 'files.upload.checking' : 'files.upload.done', params: { count: ids.length } } };
}

async function filePage(ctx: RucheContext): Promise<RouteResult> {
  const file = await visibleFile(ctx);
  const svc = service(ctx);
  const attached = file.parent_kind ? await parentOf(ctx, file) : null;
  const [people, panels, canManage, folders, versions, inAlbum, waiting] = await Promise.all([
    personCards(ctx, [file.owner_id]),
    // An attachment is talked about on its parent: no panels of its own.
    attached ? new Map<number, never[]>() : entityPanels(ctx, [entityRef(file)], 'page'),
    mayManage(ctx, file),
    file.container_id ? svc.allFolders(file.container_id) : Promise.resolve([]),
    versionsOf(ctx.ruche.db, file.id),
    albumNav(ctx, file),
    pendingOf(ctx.ruche.db, file.id),
  ]);
  const owner = people.get(file.owner_id);
  return {
    view: 'files/file',
    title: file.name,
    data: {
      file: fileFacts(ctx, file),
      owner: owner ?? null,
      backHref: inAlbum ? null : file.container_id ? link(ctx, 'files.library', { containerId: file.container_id }) : null,
      album: inAlbum,
      attached: attached ? { href: attached.href } : null,
      caption: file.caption,
      originalHref:
        file.original_key && activeViewer(ctx)?.id === file.owner_id ? `${link(ctx, 'files.download', { id: file.id })}?original=1` : null,
      canManage,
      edit: canManage
        ? {
            action: link(ctx, 'files.edit', { id: file.id }),
            name: file.name,
            caption: file.kind === 'image' ? (file.caption ?? '') : null,
            folders:
              file.container_id && !file.album_id
                ? [
                    { id: '', name: t(ctx, 'files.library.top'), selected: !file.folder_id },
                    ...folders.map((f) => ({ id: f.id, name: f.name, selected: f.id === file.folder_id })),
                  ]
                : null,
          }
        : null,
      deleteAction: link(ctx, 'files.delete', { id: file.id }),
      version: file.version,
      versionChecking: canManage && waiting.length > 0,
      versionUpload: canManage && !attached ? link(ctx, 'files.version.upload', { id: file.id }) : null,
      versions: versions.map((v) => ({
        id: v.id,
        number: v.number,
        size: sizeLabel(ctx, v.size),
        createdAt: v.created_at,
        downloadHref: link(ctx, 'files.version.download', { id: file.id, versionId: v.id }),
        restoreAction: canManage ? link(ctx, 'files.version.restore', { id: file.id, versionId: v.id }) : null,
      })),
      panels: panels.get(file.id) ?? [],
    },
  };
}

async function download(ctx: RucheContext): Promise<void> {
  const file = await visibleFile(ctx);
  const original = queryParam(ctx, 'original') === '1' && file.original_key && activeViewer(ctx)?.id === file.owner_id;
  await sendFile(ctx, { key: original ? file.original_key! : file.key, download: file.name });
}

async function image(ctx: RucheContext): Promise<void> {
  const file = await visibleFile(ctx);
  const variant = String(ctx.params?.variant ?? '');
  const key = variant === 'thumb' ? file.thumb_key : variant === 'display' ? file.display_key : null;
  if (!key) throw new HttpError(404);
  await sendFile(ctx, { key });
}

async function edit(ctx: RucheContext): Promise<RouteResult> {
  const file = await editableFile(ctx);
  const name = field(ctx, 'name').trim().slice(0, 200);
  if (!name) throw new HttpError(400, 'files.errors.nameRequired');
  let folderId: number | null = null;
  if (file.container_id && field(ctx, 'folder')) {
    const folder = await service(ctx).folder(idOf(field(ctx, 'folder')));
    if (!folder || folder.container_id !== file.container_id) throw new HttpError(400, 'files.errors.folder');
    folderId = folder.id;
  }
  const caption = file.kind === 'image' ? field(ctx, 'caption').trim().slice(0, MAX_CAPTION) || null : undefined;
  await service(ctx).edit(file.id, name, folderId, caption);
  return { redirect: link(ctx, 'files.view', { id: file.id }), flash: 'files.edit.saved' };
}

async function remove(ctx: RucheContext): Promise<RouteResult> {
  const file = await editableFile(ctx);
  const viewer = requireMember(ctx);
  await service(ctx).remove(file);
  await ctx.ruche.hooks.emit('files:deleted', { networkId: file.network_id, entityId: file.id, ownerId: file.owner_id, byId: viewer.id });
  return {
    redirect: file.container_id ? link(ctx, 'files.library', { containerId: file.container_id }) : link(ctx, 'files.mine'),
    flash: { key: 'files.delete.done', params: { name: file.name } },
  };
}

async function library(ctx: RucheContext): Promise<RouteResult> {
  requireReader(ctx);
  const folder = idOf(queryParam(ctx, 'folder')) || null;
  if (queryParam(ctx, 'folder') && !folder) throw hidden(ctx);
  return libraryPage(ctx, idParam(ctx, 'containerId'), folder);
}

export const filesRoutes: RouteDef[] = [
  { name: 'files.mine', method: 'GET', path: '/files', capability: USE, handler: (ctx) => minePage(ctx) },
  { name: 'files.upload', method: 'POST', path: '/files', capability: USE, handler: upload },
  { name: 'files.library', method: 'GET', path: '/files/in/:containerId', public: true, handler: library },
  ...folderRoutes,
  ...albumRoutes,
  { name: 'files.view', method: 'GET', path: '/files/:id', public: true, handler: filePage },
  { name: 'files.download', method: 'GET', path: '/files/:id/download', public: true, handler: download },
  { name: 'files.image', method: 'GET', path: '/files/:id/image/:variant', public: true, handler: image },
  { name: 'files.edit', method: 'POST', path: '/files/:id/edit', capability: USE, handler: edit },
  { name: 'files.delete', method: 'POST', path: '/files/:id/delete', capability: USE, handler: remove },
  ...versionRoutes,
];
