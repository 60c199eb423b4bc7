/**
 * Files in the activity feed (the activity plugin's `activity:describe` filter): one query for
 * every file entry of the page, plus one for the batches (several files shared at once show
 * as one entry with their thumbnails and count). And the Files tab of a group page.
 */
import { link, t, type RucheContext } from '../../core';
import type { FeedEntry } from '../activity/hooks';
import type { GroupTab } from '../groups/hooks';
import { FILE } from './constants';
import { imageHref, sizeLabel, typeLabel } from './view';

interface Row {
  entity_id: number;
  name: string;
  size: number;
  mime: string;
  kind: string;
  thumb_key: string | null;
  batch_id: number | null;
  album_id: number | null;
  album_title: string | null;
}

/** Verbs whose entry stands for its whole batch (several files, or photos added to an album). */
const BATCH = new Set(['shared_files', 'added_photos']);

export async function describeFiles(entries: FeedEntry[], c: { ctx: RucheContext }): Promise<FeedEntry[]> {
  const mine = entries.filter((e) => e.entityType === FILE);
  if (!mine.length) return entries;
  const { ctx } = c;
  const ids = [...new Set(mine.map((e) => e.entityId))];
  const batches = [...new Set(mine.filter((e) => BATCH.has(e.verb)).map((e) => e.entityId))];
  const rows = (await ctx.ruche
    .db('files_items as f')
    .join('entities as e', 'e.id', 'f.entity_id')
    .leftJoin('files_albums as a', 'a.entity_id', 'f.album_id')
    .whereNull('e.deleted_at')
    .where((q) => {
      q.whereIn('f.entity_id', ids);
      if (batches.length) q.orWhereIn('f.batch_id', batches);
    })
    .orderBy('f.entity_id')
    .select('f.entity_id', 'f.name', 'f.size', 'f.mime', 'f.kind', 'f.thumb_key', 'f.batch_id', 'f.album_id', 'a.title as album_title')) as Row[];
  const byId = new Map(rows.map((r) => [Number(r.entity_id), r]));
  const inBatch = new Map<number, Row[]>();
  for (const r of rows) if (r.batch_id !== null) inBatch.set(Number(r.batch_id), [...(inBatch.get(Number(r.batch_id)) ?? []), r]);
  for (const e of mine) {
    const r = byId.get(e.entityId);
    if (!r) continue;
    const group = BATCH.has(e.verb) ? (inBatch.get(e.entityId) ?? [r]) : [r];
    const album = e.verb === 'added_photos' && r.album_id && r.album_title ? { id: Number(r.album_id), title: r.album_title } : null;
    e.href = album ? link(ctx, 'files.album', { id: album.id }) : link(ctx, 'files.view', { id: e.entityId });
    e.summary = {
      template: 'files/partials/summary',
      data: {
        href: e.href,
        count: album
          ? t(ctx, 'files.feed.addedTo', { count: group.length, title: album.title })
          : group.length > 1
            ? t(ctx, 'files.feed.count', { count: group.length })
            : null,
        items: group.slice(0, 6).map((g) => ({
          name: g.name,
          size: sizeLabel(ctx, Number(g.size)),
          type: typeLabel(ctx, g.mime),
          isImage: g.kind === 'image',
          href: link(ctx, 'files.view', { id: Number(g.entity_id) }),
          thumb: g.thumb_key ? imageHref(ctx, Number(g.entity_id), 'thumb') : null,
        })),
      },
      // Versioned (core/hooks/map.ts) unless it names an album (its title is the album's row): a write of
      // the file's row, or of a file of its batch, bumps the card's entity's version (migrations 009, 010).
      versioned: album === null,
    };
  }
  return entries;
}

/** A group's page gets a Files tab (the `groups:tabs` filter, run only when the groups plugin is there). */
export function groupTab(tabs: GroupTab[], c: { ctx: RucheContext; group: { id: number } }): GroupTab[] {
  return [...tabs, { id: 'files', label: t(c.ctx, 'files.tab'), href: link(c.ctx, 'files.library', { containerId: c.group.id }), order: 50 }];
}
