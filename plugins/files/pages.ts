/**
 * The two pages that list files and carry the upload form: "My files" and a container's
 * library (folders, search, sort). A refused upload shows the same page again with one
 * message per refused file and a 4xx.
 */
import { activeViewer, cursorPager, HttpError, link, t, type AccessLevel, type RouteResult, type RucheContext } from '../../core';
import { albumCards } from './album-access';
import { hidden, listQuery, service } from './params';
import { formatMb, type Problem } from './upload';
import { item, sortOptions } from './view';

export interface Refusal {
  problems: Problem[];
  status: number;
}

function usage(ctx: RucheContext, used: number, allowed: number) {
  return {
    used: formatMb(used),
    allowed: allowed ? formatMb(allowed) : null,
    percent: allowed ? Math.min(100, Math.round((used / allowed) * 100)) : 0,
    text: allowed
      ? t(ctx, 'files.usage.ofQuota', { used: formatMb(used), allowed: formatMb(allowed) })
      : t(ctx, 'files.usage.noQuota', { used: formatMb(used) }),
  };
}

export function uploadForm(
  ctx: RucheContext,
  opts: { levels: AccessLevel[]; selected: AccessLevel; containerId: number | null; folderId: number | null; next: string; albumId?: number },
) {
  const s = service(ctx).settings(ctx.state.network.id);
  // The target in the address too, so an upload over the quota left is refused before it is read (upload-screen.ts).
  const where = opts.albumId ? `?album=${opts.albumId}` : opts.containerId ? `?container=${opts.containerId}` : '?mine=1';
  return {
    action: `${link(ctx, 'files.upload')}${where}`,
    albumId: opts.albumId,
    containerId: opts.containerId,
    folderId: opts.folderId,
    next: opts.next,
    maxBytes: s.maxFileBytes,
    maxMb: formatMb(s.maxFileBytes),
    accessOptions: opts.levels.map((v) => ({ value: v, label: t(ctx, `core.access.${v}`), selected: v === opts.selected })),
  };
}

/** The "new album" form: title, description, level, and the container it goes in. */
function albumForm(ctx: RucheContext, levels: AccessLevel[], selected: AccessLevel, containerId: number | null) {
  return {
    action: link(ctx, 'files.album.create'),
    containerId,
    accessOptions: levels.map((v) => ({ value: v, label: t(ctx, `core.access.${v}`), selected: v === selected })),
  };
}

export const errorsOf = (ctx: RucheContext, refusal?: Refusal): string[] => (refusal?.problems ?? []).map((p) => t(ctx, p.key, p.params));

/** The files/list page, my files or a library: a refused upload sets its status and lists its problems. */
function listPage(ctx: RucheContext, title: string, refusal: Refusal | undefined, data: Record<string, unknown>): RouteResult {
  return { view: 'files/list', title, status: refusal?.status, data: { pageTitle: title, errors: errorsOf(ctx, refusal), ...data } };
}

export async function minePage(ctx: RucheContext, refusal?: Refusal): Promise<RouteResult> {
  const viewer = activeViewer(ctx);
  if (!viewer) throw new HttpError(401);
  const svc = service(ctx);
  const networkId = ctx.state.network.id;
  const q = listQuery(ctx);
  const [page, used, albums] = await Promise.all([
    // Photos of an album are seen in it (a search finds them too).
    svc.list(viewer, networkId, { ownerId: viewer.id, containerId: null, ...(q.q ? {} : { albumId: null }), ...q }),
    svc.used({ ownerId: viewer.id }),
    albumCards(ctx, { ownerId: viewer.id }),
  ]);
  const s = svc.settings(networkId);
  const title = t(ctx, 'files.mine.title');
  return listPage(ctx, title, refusal, {
    lead: t(ctx, 'files.mine.lead'),
    usage: usage(ctx, used, s.memberQuota),
    upload: uploadForm(ctx, {
      levels: svc.accessLevels(networkId),
      selected: s.defaultAccess,
      containerId: null,
      folderId: null,
      next: link(ctx, 'files.mine'),
    }),
    albums,
    newAlbum: albumForm(ctx, svc.accessLevels(networkId), s.defaultAccess, null),
    search: { action: link(ctx, 'files.mine'), q: q.q, sorts: sortOptions(ctx, q.sort) },
    files: page.items.map((f) => item(ctx, f)),
    pager: cursorPager(ctx, page, q.cursor, { sort: q.sort }),
  });
}

/** A container of this network the viewer may see; 404 (401 for guests) otherwise. */
async function visibleContainer(ctx: RucheContext, id: number) {
  const container = await ctx.ruche.entities.get(id);
  if (!container || Number(container.network_id) !== ctx.state.network.id || !(await ctx.ruche.access.canSee(activeViewer(ctx), container)))
    throw hidden(ctx);
  return container;
}

export async function libraryPage(ctx: RucheContext, containerId: number, folderId: number | null, refusal?: Refusal): Promise<RouteResult> {
  const container = await visibleContainer(ctx, containerId);
  const viewer = activeViewer(ctx);
  const svc = service(ctx);
  const networkId = ctx.state.network.id;
  const policy = viewer ? await ctx.ruche.containers.policy(viewer, containerId, networkId) : null;
  // Folders are the members' (and moderators') way round the library; anyone else gets the flat
  // list of the files the access model lets them see, and no folder names.
  const insider = !!policy?.role || ctx.ruche.access.canModerate(viewer, container);
  const folder = folderId ? await svc.folder(folderId) : null;
  if (folderId && (!insider || !folder || folder.container_id !== containerId)) throw hidden(ctx);
  const q = listQuery(ctx);
  const [page, used, folders, albums] = await Promise.all([
    svc.list(viewer, networkId, { containerId, folderId: q.q || !insider ? undefined : folderId, ...(q.q ? {} : { albumId: null }), ...q }),
    svc.used({ containerId }),
    q.q || !insider ? Promise.resolve([]) : svc.folders(containerId, folderId),
    folderId ? Promise.resolve([]) : albumCards(ctx, { containerId }),
  ]);
  const s = svc.settings(networkId);
  const here = link(ctx, 'files.library', { containerId });
  const groupName = policy?.name ?? null;
  const title = folder ? folder.name : groupName ? t(ctx, 'files.library.titleOf', { name: groupName }) : t(ctx, 'files.library.title');
  return listPage(ctx, title, refusal, {
    library: true,
    parentHref: folder ? (folder.parent_id ? `${here}?folder=${folder.parent_id}` : here) : (policy?.href ?? null),
    parentLabel: folder ? t(ctx, 'files.library.up') : (groupName ?? ''),
    usage: insider ? usage(ctx, used, s.groupQuota) : null,
    upload:
      policy?.canPost && policy.allowedAccess.length
        ? uploadForm(ctx, {
            levels: policy.allowedAccess,
            selected: policy.allowedAccess[0],
            containerId,
            folderId,
            next: folderId ? `${here}?folder=${folderId}` : here,
          })
        : null,
    newFolder:
      policy?.role && (!folder || !folder.parent_id) ? { action: link(ctx, 'files.folder.create', { containerId }), parentId: folderId } : null,
    renameFolder:
      folder && viewer && (folder.owner_id === viewer.id || policy?.role === 'admin')
        ? { action: link(ctx, 'files.folder.rename', { folderId: folder.id }), name: folder.name }
        : null,
    albums,
    newAlbum:
      !folderId && policy?.canPost && policy.allowedAccess.length ? albumForm(ctx, policy.allowedAccess, policy.allowedAccess[0], containerId) : null,
    search: { action: here, q: q.q, folder: folderId, sorts: sortOptions(ctx, q.sort) },
    folders: folders.map((f) => ({ id: f.id, name: f.name, href: `${here}?folder=${f.id}` })),
    files: page.items.map((f) => item(ctx, f)),
    pager: cursorPager(ctx, page, q.cursor, { sort: q.sort }),
  });
}
