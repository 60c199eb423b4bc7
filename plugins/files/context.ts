/**
 * The files plugin's answer to the core's `entity:context` filter: where a file or an album is
 * shown away from its page (the moderation queue and its history), one line of what it is.
 * A file: its type and size (its name is its title, from the search contract), the folder,
 * album or group it is in, its download and, for a photo, its thumbnail. An album: its title,
 * its photo count, the group it is in, a link to its photos and its cover's thumbnail. Links go
 * through this plugin's access-checked routes (files.download, files.image, files.album). In a
 * fixed number of statements whatever the list: one for the files, two for the albums, and one
 * policy read per distinct group.
 */
import { link, t, type EntityContext, type EntityRef, type RucheContext, type Viewer } from '../../core';
import { albums } from './album-access';
import { ALBUM, FILE } from './constants';
import { service } from './params';
import { imageHref, sizeLabel, typeLabel } from './view';

/** A file as its context line shows it (`FilesService.contextRows`). */
export interface ContextRow {
  entity_id: number | string;
  size: number | string;
  mime: string;
  kind: string;
  thumb_key: string | null;
  folder_name: string | null;
  album_title: string | null;
}

export async function fileContexts(
  lines: EntityContext[],
  c: { ctx: RucheContext; networkId: number; viewer: Viewer; entities: EntityRef[] },
): Promise<EntityContext[]> {
  const files = c.entities.filter((e) => e.type === FILE);
  const albumRefs = c.entities.filter((e) => e.type === ALBUM);
  if (!files.length && !albumRefs.length) return lines;
  const { ctx } = c;
  const [fileRows, albumRows, groups] = await Promise.all([
    files.length ? service(ctx).contextRows(files.map((e) => e.id)) : new Map<number, ContextRow>(),
    albums(ctx).summaries(albumRefs.map((e) => e.id)),
    groupNames(c, [...files, ...albumRefs]),
  ]);
  const groupFact = (e: EntityRef) => {
    const name = e.containerId === null ? undefined : groups.get(e.containerId);
    return name ? [t(ctx, 'files.context.group', { name })] : [];
  };
  const out = [...lines];
  for (const e of files) {
    const r = fileRows.get(e.id);
    if (!r) continue;
    out.push({
      entityId: e.id,
      // Its name is the title the queue shows already (the search contract's).
      facts: [
        typeLabel(ctx, r.mime),
        sizeLabel(ctx, Number(r.size)),
        ...(r.album_title ? [t(ctx, 'files.context.album', { title: r.album_title })] : []),
        ...(r.folder_name ? [t(ctx, 'files.context.folder', { name: r.folder_name })] : []),
        ...groupFact(e),
      ],
      links: [{ label: t(ctx, 'files.context.download'), href: link(ctx, 'files.download', { id: e.id }) }],
      thumb: r.kind === 'image' && r.thumb_key ? imageHref(ctx, e.id, 'thumb') : null,
    });
  }
  for (const e of albumRefs) {
    const a = albumRows.get(e.id);
    if (!a) continue;
    out.push({
      entityId: e.id,
      facts: [t(ctx, 'files.context.albumTitle', { title: a.title }), t(ctx, 'files.album.count', { count: a.photos }), ...groupFact(e)],
      links: [{ label: t(ctx, 'files.context.photos'), href: link(ctx, 'files.album', { id: e.id }) }],
      thumb: a.coverId ? imageHref(ctx, a.coverId, 'thumb') : null,
    });
  }
  return out;
}

/** The names of these entities' groups as the core knows them, one policy read per distinct group. */
async function groupNames(
  c: { ctx: RucheContext; networkId: number; viewer: Viewer },
  entities: EntityRef[],
): Promise<Map<number, string | undefined>> {
  const ids = [...new Set(entities.map((e) => e.containerId).filter((id): id is number => id !== null))];
  const policies = await Promise.all(ids.map((id) => c.ctx.ruche.containers.policy(c.viewer, id, c.networkId)));
  return new Map(ids.map((id, i) => [id, policies[i].name]));
}
