/** View models: file rows → what the templates show (links, labels, sizes). */
import { link, t, type RucheContext } from '../../core';
import { SORTS, type FileRow, type ListItem, type Sort } from './service';

/** `1.2 MB`, `340 KB`, `12 bytes`, in the viewer's language. */
export function sizeLabel(ctx: RucheContext, bytes: number): string {
  if (bytes >= 1024 * 1024) return t(ctx, 'files.size.mb', { n: (bytes / (1024 * 1024)).toFixed(1) });
  if (bytes >= 1024) return t(ctx, 'files.size.kb', { n: Math.round(bytes / 1024) });
  return t(ctx, 'files.size.bytes', { count: bytes });
}

export const imageHref = (ctx: RucheContext, id: number, variant: 'thumb' | 'display'): string => link(ctx, 'files.image', { id, variant });

/** A short, readable name of a type (`PDF`, `PNG image`), falling back to the type itself. */
export function typeLabel(ctx: RucheContext, mime: string): string {
  const key = `files.types.${mime.replace(/[^a-z0-9]+/gi, '_')}`;
  const label = t(ctx, key);
  return label === key ? mime : label;
}

export function item(ctx: RucheContext, f: ListItem) {
  return {
    id: f.id,
    name: f.name,
    href: link(ctx, 'files.view', { id: f.id }),
    downloadHref: link(ctx, 'files.download', { id: f.id }),
    thumb: f.thumb_key ? imageHref(ctx, f.id, 'thumb') : null,
    size: sizeLabel(ctx, f.size),
    type: typeLabel(ctx, f.mime),
    isImage: f.kind === 'image',
    createdAt: f.created_at,
    ownerName: f.display_name,
    accessLabel: t(ctx, `core.access.${f.access}`),
    pending: f.state === 'pending',
  };
}

/** The sort choices; in an album, "date" is the order the photos were added. */
export function sortOptions(ctx: RucheContext, current: Sort, album = false) {
  return SORTS.map((s) => ({ value: s, label: t(ctx, album && s === 'date' ? 'files.sort.added' : `files.sort.${s}`), selected: s === current }));
}

export function fileFacts(ctx: RucheContext, f: FileRow) {
  return {
    id: f.id,
    name: f.name,
    size: sizeLabel(ctx, f.size),
    type: typeLabel(ctx, f.mime),
    isImage: f.kind === 'image',
    display: f.display_key ? imageHref(ctx, f.id, 'display') : null,
    width: f.width,
    height: f.height,
    createdAt: f.created_at,
    accessLabel: t(ctx, `core.access.${f.access}`),
    pending: f.state === 'pending',
    downloadHref: link(ctx, 'files.download', { id: f.id }),
  };
}
