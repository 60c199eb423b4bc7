/**
 * Versions of a file: uploading a new version keeps what the file was as a row of
 * `files_versions` (its bytes stay where they are), restoring an earlier one makes it the
 * current version again (the replaced one joins the history). The file's name, entity,
 * comments and reactions stay. Checks are the upload's (type, size, quota), before storing.
 */
import {
  HttpError,
  idParam,
  link,
  requireMember,
  t,
  uploadedFiles,
  type RouteDef,
  type RouteResult,
  type RucheContext,
  type Runtime,
} from '../../core';
import { USE } from './constants';
import { editableFile, service, visibleFile } from './params';
import { sendFile } from './serve';
import type { FileRow, NewFile } from './service';
import { scannersOf } from './scan';
import { prepare, quotaProblem, storeBytes } from './upload';

const FIELDS = ['size', 'mime', 'kind', 'key', 'display_key', 'thumb_key', 'original_key', 'width', 'height'] as const;

/** An earlier version of a file: its stored bytes and variants, as the file's own columns hold them. */
export interface VersionRow extends Pick<FileRow, 'size' | 'mime' | 'key' | 'display_key' | 'thumb_key' | 'original_key' | 'width' | 'height'> {
  id: number;
  entity_id: number;
  number: number;
  kind: string;
  created_at: number;
}

const pick = (row: Record<string, unknown>) => Object.fromEntries(FIELDS.map((f) => [f, row[f] ?? null]));

/** The history of a file, newest first. */
export async function versionsOf(db: Runtime['db'], id: number): Promise<VersionRow[]> {
  const rows = (await db('files_versions').where({ entity_id: id }).orderBy('number', 'desc').limit(200)) as VersionRow[];
  return rows.map((r) => ({ ...r, id: Number(r.id), number: Number(r.number), size: Number(r.size), created_at: Number(r.created_at) }));
}

/** Makes `next` the current version of `file`, the current one joining the history. */
async function replace(db: Runtime['db'], file: FileRow, next: Record<string, unknown>): Promise<void> {
  await db.transaction(async (trx) => {
    const current = (await trx('files_items').where({ entity_id: file.id }).first()) as Record<string, unknown>;
    const number = Number(current.version ?? 1);
    await trx('files_versions').insert({ entity_id: file.id, number, ...pick(current), created_at: Date.now() });
    await trx('files_items')
      .where({ entity_id: file.id })
      .update({ ...pick(next), version: number + 1 });
    await trx('entities').where({ id: file.id }).update({ updated_at: Date.now() });
  });
}

async function uploadVersion(ctx: RucheContext): Promise<RouteResult> {
  requireMember(ctx);
  const file = await editableFile(ctx);
  const svc = service(ctx);
  const uploads = uploadedFiles(ctx).filter((f) => f.field === 'files');
  if (uploads.length !== 1) throw new HttpError(400, 'files.errors.oneVersion');
  const target = { containerId: file.container_id, folderId: file.folder_id, access: file.access as never };
  const over = await quotaProblem(svc, file.owner_id, file.network_id, target, uploads[0].data.length);
  if (over) throw new HttpError(413, over.key, over.params);
  const { ready, problems } = await prepare(svc, file.network_id, uploads);
  if (problems.length) throw new HttpError(problems[0].key === 'files.errors.type' ? 415 : 422, problems[0].key, problems[0].params);
  const made: NewFile = ready[0].file;
  await storeBytes(ctx.ruche, svc, ready, () =>
    replace(ctx.ruche.db, file, {
      size: made.size,
      mime: made.mime,
      kind: made.kind,
      key: made.key,
      display_key: made.displayKey,
      thumb_key: made.thumbKey,
      original_key: made.originalKey,
      width: made.width,
      height: made.height,
    }),
  );
  // Scanners look at the new version first: the file is its uploader's alone meanwhile.
  const checking = (await scannersOf(ctx.ruche, file.network_id)).length > 0;
  if (checking) {
    await svc.hold(file.id);
    await ctx.ruche.plugin('files').schedule('scan', { ids: [file.id], networkId: file.network_id, version: true });
  }
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
