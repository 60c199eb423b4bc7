/**
 * Versions of a file (the history itself: version-store.ts): uploading a new version keeps
 * what the file was as a row of `files_versions` (its bytes stay where they are), restoring an
 * earlier one makes it the current version again (the replaced one joins the history). Where
 * scanners are enabled, the new version waits aside until they all said yes. The file's name, entity,
 * comments and reactions stay. Checks are the upload's (type, size, quota), before storing.
 */
import { HttpError, idParam, link, requireMember, t, uploadedFiles, type RouteDef, type RouteResult, type RucheContext } from '../../core';
import { USE } from './constants';
import { editableFile, service, visibleFile } from './params';
import { sendFile } from './serve';
import type { FileRow } from './service';
import { scannersOf } from './scan';
import { prepare, quotaProblem, storeBytes } from './upload';
import { addPending, columnsOf, replace, versionsOf, type VersionRow } from './version-store';

async function uploadVersion(ctx: RucheContext): Promise<RouteResult> {
  requireMember(ctx);
  const file = await editableFile(ctx);
  const svc = service(ctx);
  const uploads = uploadedFiles(ctx).filter((f) => f.field === 'files');
  if (uploads.length !== 1) throw new HttpError(400, 'files.errors.oneVersion');
  const target = { containerId: file.container_id, folderId: file.folder_id, access: file.access as never };
  const over = await quotaProblem(svc, file.owner_id, file.network_id, target, uploads[0].size);
  if (over) throw new HttpError(413, over.key, over.params);
  const { ready, problems } = await prepare(svc, file.network_id, uploads);
  if (problems.length) throw new HttpError(problems[0].key === 'files.errors.type' ? 415 : 422, problems[0].key, problems[0].params);
  // Scanners look at the new version first: it waits aside, the current version staying visible.
  const checking = (await scannersOf(ctx.ruche, file.network_id)).length > 0;
  if (checking) {
    const versionId = await storeBytes(ctx.ruche, svc, ready, () => addPending(ctx.ruche.db, file, ready[0].file));
    await ctx.ruche.plugin('files').schedule('scan', { ids: [file.id], networkId: file.network_id, versionId });
  } else await storeBytes(ctx.ruche, svc, ready, () => replace(ctx.ruche.db, file, columnsOf(ready[0].file)));
  return { redirect: link(ctx, 'files.view', { id: file.id }), flash: { key: checking ? 'files.versions.checking' : 'files.versions.uploaded' } };
}

async function versionOf(ctx: RucheContext, file: FileRow): Promise<VersionRow> {
  const id = idParam(ctx, 'versionId');
  const v = (await versionsOf(ctx.ruche.db, file.id)).find((r) => r.id === id);
  if (!v) throw new HttpError(404, 'files.errors.notFound');
  return v;
}

async function restore(ctx: RucheContext): Promise<RouteResult> {
  const file = await editableFile(ctx);
  const v = await versionOf(ctx, file);
  await replace(ctx.ruche.db, file, v as unknown as Record<string, unknown>);
  return { redirect: link(ctx, 'files.view', { id: file.id }), flash: { key: 'files.versions.restored', params: { number: v.number } } };
}

async function downloadVersion(ctx: RucheContext): Promise<void> {
  const file = await visibleFile(ctx);
  const v = await versionOf(ctx, file);
  await sendFile(ctx, { key: v.key, download: `${t(ctx, 'files.versions.prefix', { number: v.number })} ${file.name}` });
}

export const versionRoutes: RouteDef[] = [
  { name: 'files.version.upload', method: 'POST', path: '/files/:id/versions', capability: USE, handler: uploadVersion },
  { name: 'files.version.download', method: 'GET', path: '/files/:id/versions/:versionId/download', public: true, handler: downloadVersion },
  { name: 'files.version.restore', method: 'POST', path: '/files/:id/versions/:versionId/restore', capability: USE, handler: restore },
];
