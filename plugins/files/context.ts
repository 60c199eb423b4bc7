/**
 * The files plugin's answer to the core's `entity:context` filter: where a file is shown away
 * from its page (the moderation queue and its history), one line of what it is — its type
 * and size (its name is its title, from the search contract), the folder, album or group it is in — and its download and, for a photo, its
 * thumbnail, both through this plugin's access-checked routes (files.download, files.image).
 */
import { link, t, type EntityContext, type EntityRef, type RucheContext, type Viewer } from '../../core';
import { FILE } from './constants';
import { imageHref, sizeLabel, typeLabel } from './view';

interface Row {
  entity_id: number | string;
  name: string;
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
  if (!files.length) return lines;
  const { ctx } = c;
  const rows = (await ctx.ruche
    .db('files_items as f')
    .leftJoin('files_folders as d', 'd.id', 'f.folder_id')
    .leftJoin('files_albums as a', 'a.entity_id', 'f.album_id')
    .whereIn(
      'f.entity_id',
      files.map((e) => e.id),
    )
    .select('f.entity_id', 'f.name', 'f.size', 'f.mime', 'f.kind', 'f.thumb_key', 'd.name as folder_name', 'a.title as album_title')) as Row[];
  const byId = new Map(rows.map((r) => [Number(r.entity_id), r]));
  // The groups' names, as the core knows them (a handful of containers per page).
  const groups = new Map<number, string | undefined>();
  for (const id of new Set(files.map((e) => e.containerId).filter((id): id is number => id !== null)))
    groups.set(id, (await ctx.ruche.containers.policy(c.viewer, id, c.networkId)).name);
  const out = [...lines];
  for (const e of files) {
    const r = byId.get(e.id);
    if (!r) continue;
    const group = e.containerId === null ? undefined : groups.get(e.containerId);
    // Its name is the title the queue shows already (the search contract's).
    const facts = [
      typeLabel(ctx, r.mime),
      sizeLabel(ctx, Number(r.size)),
      ...(r.album_title ? [t(ctx, 'files.context.album', { title: r.album_title })] : []),
      ...(r.folder_name ? [t(ctx, 'files.context.folder', { name: r.folder_name })] : []),
      ...(group ? [t(ctx, 'files.context.group', { name: group })] : []),
    ];
    out.push({
      entityId: e.id,
      facts,
      links: [{ label: t(ctx, 'files.context.download'), href: link(ctx, 'files.download', { id: e.id }) }],
      thumb: r.kind === 'image' && r.thumb_key ? imageHref(ctx, e.id, 'thumb') : null,
    });
  }
  return out;
}
