/**
 * Where an upload (or a new album) goes and at which level: an album its manager adds photos
 * to (its container and level), a container the viewer may post in, or their own space.
 */
import { field, HttpError, idOf, requireMember, type AccessLevel, type RucheContext } from '../../core';
import { albums, visibleAlbum } from './album-access';
import { containerField, mayManage, service } from './params';
import type { Target } from './upload';

export async function uploadTarget(ctx: RucheContext): Promise<Target> {
  const viewer = requireMember(ctx);
  const svc = service(ctx);
  const networkId = ctx.state.network.id;
  const albumId = idOf(field(ctx, 'album'));
  if (albumId) {
    const album = await visibleAlbum(ctx, albumId, albums(ctx));
    if (!(await mayManage(ctx, album))) throw new HttpError(403, 'files.errors.notYours');
    return { containerId: album.container_id, folderId: null, access: album.access as AccessLevel, albumId: album.id };
  }
  const containerId = containerField(field(ctx, 'container'));
  const wanted = field(ctx, 'access');
  if (!containerId) {
    const levels = svc.accessLevels(networkId);
    return { containerId: null, folderId: null, access: levels.find((l) => l === wanted) ?? svc.settings(networkId).defaultAccess };
  }
  const policy = await ctx.ruche.containers.policy(viewer, containerId, networkId);
  if (!policy.role && !policy.canPost) throw new HttpError(404, 'files.errors.notFound');
  if (!policy.canPost || !policy.allowedAccess.length) throw new HttpError(403, 'files.errors.containerClosed');
  const folderId = idOf(field(ctx, 'folder')) || null;
  if (folderId && (await svc.folder(folderId))?.container_id !== containerId) throw new HttpError(404, 'files.errors.notFound');
  return { containerId, folderId, access: policy.allowedAccess.find((l) => l === wanted) ?? policy.allowedAccess[0] };
}
