/**
 * The photo viewer: a photo of an album shows its album, its place ("3 of 12") and links to
 * the previous and next photos the viewer may see — plain links (`rel=prev/next`), so it works
 * without JavaScript; viewer.js adds the arrow keys.
 */
import { activeViewer, link, t, type RucheContext } from '../../core';
import { albums } from './album-access';
import type { FileRow } from './service';

export async function albumNav(ctx: RucheContext, file: FileRow) {
  if (!file.album_id) return null;
  const svc = albums(ctx);
  const album = await svc.find(file.album_id);
  const viewer = activeViewer(ctx);
  if (!album || !(await ctx.ruche.access.canSee(viewer, album))) return null;
  const ids = await svc.photoIds(viewer, album);
  const at = ids.indexOf(file.id);
  const href = (id: number | undefined) => (id ? link(ctx, 'files.view', { id }) : null);
  return {
    title: album.title,
    href: link(ctx, 'files.album', { id: album.id }),
    position: at >= 0 ? t(ctx, 'files.viewer.position', { n: at + 1, count: ids.length }) : null,
    prevHref: at > 0 ? href(ids[at - 1]) : null,
    nextHref: at >= 0 ? href(ids[at + 1]) : null,
  };
}
