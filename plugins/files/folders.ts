/**
 * Folders of a container's library: any member of the container makes one (at the top level
 * or one level down); its maker, a group admin or a moderator of the network renames it. Names are 1 to 120 characters.
 */
import { field, HttpError, idOf, idParam, link, requireMember, type RouteDef, type RouteResult, type RucheContext } from '../../core';
import { USE } from './constants';
import { hidden, service } from './params';

function folderName(ctx: RucheContext): string {
  const name = field(ctx, 'name').trim();
  if (!name || name.length > 120) throw new HttpError(400, 'files.errors.folderName');
  return name;
}

async function create(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const containerId = idParam(ctx, 'containerId');
  const policy = await ctx.ruche.containers.policy(viewer, containerId, ctx.state.network.id);
  if (!policy.role) throw hidden(ctx);
  const svc = service(ctx);
  const parentId = idOf(field(ctx, 'parent')) || null;
  if (parentId) {
    const parent = await svc.folder(parentId);
    if (!parent || parent.container_id !== containerId) throw hidden(ctx);
    if (parent.parent_id) throw new HttpError(400, 'files.errors.folderDepth');
  }
  const name = folderName(ctx);
  const id = await svc.createFolder(containerId, parentId, viewer.id, name);
  return { redirect: `${link(ctx, 'files.library', { containerId })}?folder=${id}`, flash: { key: 'files.folder.created', params: { name } } };
}

async function rename(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const svc = service(ctx);
  const folder = await svc.folder(idParam(ctx, 'folderId'));
  const container = folder ? await ctx.ruche.entities.get(folder.container_id) : undefined;
  if (!folder || !container || Number(container.network_id) !== ctx.state.network.id) throw hidden(ctx);
  const role = await ctx.ruche.containers.role(folder.container_id, viewer.id);
  const moderator = ctx.ruche.access.canModerate(viewer, container);
  if (!role && !moderator) throw hidden(ctx);
  if (folder.owner_id !== viewer.id && role !== 'admin' && !moderator) throw new HttpError(403, 'files.errors.notYours');
  await svc.renameFolder(folder.id, folderName(ctx));
  return { redirect: `${link(ctx, 'files.library', { containerId: folder.container_id })}?folder=${folder.id}`, flash: 'files.folder.renamed' };
}

export const folderRoutes: RouteDef[] = [
  { name: 'files.folder.create', method: 'POST', path: '/files/in/:containerId/folders', capability: USE, handler: create },
  { name: 'files.folder.rename', method: 'POST', path: '/files/folders/:folderId/rename', capability: USE, handler: rename },
];
