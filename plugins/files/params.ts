/** What the files route modules share: the service, reader checks, `:id`, the target of an upload, list queries. */
import {
  activeViewer,
  attachmentParent,
  HttpError,
  idOf,
  idParam,
  queryParam,
  sortedCursorParams,
  type AttachmentParentView,
  type EntityRow,
  type RucheContext,
} from '../../core';
import { FilesService, listOrder, SORTS, type FileRow, type ListQuery, type Sort } from './service';

export const service = (ctx: RucheContext): FilesService => ctx.ruche.container.resolve(FilesService);

/** 404 for members, sign-in for guests: never a hint that something exists. */
export const hidden = (ctx: RucheContext): HttpError => (activeViewer(ctx) ? new HttpError(404, 'files.errors.notFound') : new HttpError(401));

/** The file of `:id` when the viewer may see it (the core's access model decides), in this network. */
export async function visibleFile(ctx: RucheContext): Promise<FileRow> {
  const file = await service(ctx).find(idParam(ctx));
  if (!file || file.network_id !== ctx.state.network.id) throw hidden(ctx);
  // An attachment is seen by who sees its parent now (its own row is private): attachments.ts.
  if (file.parent_kind) {
    if (file.deleted_at || !(await parentOf(ctx, file)).visible) throw hidden(ctx);
  } else if (!(await ctx.ruche.access.canSee(activeViewer(ctx), file))) throw hidden(ctx);
  // A file being checked by the scanners is its uploader's alone (scan.ts).
  if (file.state === 'pending' && activeViewer(ctx)?.id !== file.owner_id) throw hidden(ctx);
  return file;
}

/** Whether the viewer may see an attachment's parent now, and its page. */
export function parentOf(ctx: RucheContext, file: FileRow): Promise<AttachmentParentView> {
  const parent = { kind: file.parent_kind ?? '', id: file.parent_id ?? 0, entityId: file.parent_entity_id };
  return attachmentParent(ctx.ruche, activeViewer(ctx), file.network_id, parent, ctx.state.basePath ?? '');
}

/** The file of `:id` when the viewer may change it: its owner, a moderator, or an admin of its group. */
export async function editableFile(ctx: RucheContext): Promise<FileRow> {
  const file = await visibleFile(ctx);
  if (!(await mayManage(ctx, file))) throw new HttpError(403, 'files.errors.notYours');
  return file;
}

/** Its owner, a moderator, or an admin of its group may change a file or an album. */
export async function mayManage(ctx: RucheContext, file: EntityRow): Promise<boolean> {
  const viewer = activeViewer(ctx);
  if (!viewer) return false;
  if (ctx.ruche.access.canEdit(viewer, file)) return true;
  return !!file.container_id && (await ctx.ruche.containers.role(file.container_id, viewer.id)) === 'admin';
}

/**
 * Search, sort and page of a list (an album's photos when `album`), from the query string: the
 * page is `?after=`/`?before=`, a cursor of the sort's key naming the sort (a cursor of another
 * list or of another sort is a 400: newest and largest keys look alike); an old `?page=N` opens
 * the first page.
 */
export function listQuery(ctx: RucheContext, album = false): Required<Pick<ListQuery, 'q' | 'sort' | 'cursor'>> {
  const raw = queryParam(ctx, 'sort');
  const sort = (SORTS as readonly string[]).includes(raw) ? (raw as Sort) : 'date';
  return { q: queryParam(ctx, 'q').trim().slice(0, 100), sort, cursor: sortedCursorParams(ctx, sort, ...listOrder(sort, album).parts) };
}

export const containerField = (raw: string): number | null => idOf(raw) || null;
