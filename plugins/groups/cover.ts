/**
 * Cover images: checked by their first bytes (never the declared type), decoded and
 * re-encoded by sharp as wide JPEG banners in two widths, stored under content-addressed
 * keys. They are served through the group (groups.cover), so only who may see the group
 * sees its cover.
 */
import { createHash } from 'node:crypto';
import { link, readImage, type RucheContext, type Storage, type UploadedFile, jpegSizes } from '../../core';

export const COVER_SIZES = [480, 1200] as const;
export const MAX_COVER_BYTES = 5 * 1024 * 1024;
export const COVER_FILE = /^([a-f0-9]{20})-(480|1200)\.jpg$/;

export const coverKey = (hash: string, size: number): string => `groups/covers/${hash}-${size}.jpg`;

export function coverUrl(ctx: RucheContext, groupId: number, hash: string | null, size: (typeof COVER_SIZES)[number]): string | null {
  return hash ? link(ctx, 'groups.cover', { id: groupId, file: `${hash}-${size}.jpg` }) : null;
}

/** Reads, resizes and stores the uploaded cover: its key, or the i18n key saying why it cannot be one. */
export async function saveCover(
  storage: Storage,
  file: UploadedFile | undefined,
): Promise<{ key?: string; error?: { key: string; params?: Record<string, unknown> } }> {
  const image = await readImage(file, MAX_COVER_BYTES);
  if ('problem' in image) {
    if (image.problem === 'none') return {};
    if (image.problem === 'tooLarge') return { error: { key: 'groups.errors.coverTooLarge', params: { max: MAX_COVER_BYTES / 1024 / 1024 } } };
    return { error: { key: 'groups.errors.coverType' } };
  }
  const data = image.data;
  let files: Buffer[];
  try {
    files = await jpegSizes(
      data,
      COVER_SIZES.map((w) => ({ width: w, height: Math.round(w / 4) })),
      82,
    );
  } catch {
    return { error: { key: 'groups.errors.coverUnreadable' } };
  }
  const hash = createHash('sha256').update(data).digest('hex').slice(0, 20);
  for (let i = 0; i < COVER_SIZES.length; i++) await storage.put(coverKey(hash, COVER_SIZES[i]), files[i], 'image/jpeg');
  return { key: hash };
}
