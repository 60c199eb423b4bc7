/**
 * Cover images: checked by their first bytes (never the declared type), decoded and
 * re-encoded by sharp in two JPEG widths, stored under content-addressed keys. They are
 * served through the post (blogs.cover), so a cover is seen only by who sees its post.
 */
import { createHash } from 'node:crypto';
import { link, readImage, type RucheContext, type Storage, type UploadedFile, loadSharp } from '../../core';

export const COVER_SIZES = [480, 1200] as const;
export const MAX_COVER_BYTES = 5 * 1024 * 1024;
export const COVER_FILE = /^([a-f0-9]{20})-(480|1200)\.jpg$/;

export interface Cover {
  hash: string;
  files: Buffer[];
}

export const coverKey = (hash: string, size: number): string => `blogs/covers/${hash}-${size}.jpg`;

export function coverUrl(ctx: RucheContext, postId: number, hash: string | null, size: (typeof COVER_SIZES)[number]): string | null {
  return hash ? link(ctx, 'blogs.cover', { id: postId, file: `${hash}-${size}.jpg` }) : null;
}

/** The resized cover, or the i18n key saying why the file cannot be one. */
export async function readCover(
  file: UploadedFile | undefined,
): Promise<{ cover?: Cover; error?: { key: string; params?: Record<string, unknown> } }> {
  const image = await readImage(file, MAX_COVER_BYTES);
  if ('problem' in image) {
    if (image.problem === 'none') return {};
    if (image.problem === 'tooLarge') return { error: { key: 'blogs.errors.coverTooLarge', params: { max: MAX_COVER_BYTES / 1024 / 1024 } } };
    return { error: { key: 'blogs.errors.coverType' } };
  }
  const data = image.data;
  const sharp = await loadSharp();
  try {
    const files = await Promise.all(
      COVER_SIZES.map((w) =>
        sharp(data, { limitInputPixels: 40_000_000 })
          .rotate()
          .resize({ width: w, height: Math.round((w * 9) / 16), fit: 'cover' })
          .flatten({ background: '#ffffff' })
          .jpeg({ quality: 82 })
          .toBuffer(),
      ),
    );
    return { cover: { hash: createHash('sha256').update(data).digest('hex').slice(0, 20), files } };
  } catch {
    return { error: { key: 'blogs.errors.coverUnreadable' } };
  }
}

export async function storeCover(storage: Storage, cover: Cover): Promise<void> {
  for (let i = 0; i < COVER_SIZES.length; i++) await storage.put(coverKey(cover.hash, COVER_SIZES[i]), cover.files[i], 'image/jpeg');
}
