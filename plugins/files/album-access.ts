/** Albums as the routes see them: the one of an id when the viewer may see it (404, sign-in for guests, otherwise), the cards of a list. */
import { activeViewer, link, t, type RucheContext } from '../../core';
import { AlbumsService, type AlbumRow } from './albums';
import { hidden } from './params';
import { imageHref } from './view';

export const albums = (ctx: RucheContext): AlbumsService => ctx.ruche.container.resolve(AlbumsService);

export async function visibleAlbum(ctx: RucheContext, id: number, svc = albums(ctx)): Promise<AlbumRow> {
  const album = await svc.find(id);
  if (!album || album.network_id !== ctx.state.network.id) throw hidden(ctx);
  if (!(await ctx.ruche.access.canSee(activeViewer(ctx), album))) throw hidden(ctx);
  return album;
}

/** Albums shown on my files and on a library: cover, title, count. */
export async function albumCards(ctx: RucheContext, where: { ownerId: number } | { containerId: number }) {
  const list = await albums(ctx).list(activeViewer(ctx), ctx.state.network.id, where);
  return list.map((a) => ({
    id: a.id,
    title: a.title,
    href: link(ctx, 'files.album', { id: a.id }),
    cover: a.coverId ? imageHref(ctx, a.coverId, 'thumb') : null,
    count: t(ctx, 'files.album.count', { count: a.photos }),
    accessLabel: t(ctx, `core.access.${a.access}`),
  }));
}
