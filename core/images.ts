/**
 * sharp (libvips), loaded on first use: a process that never re-encodes an image (most page
 * views) does not map libvips and its caches, about 10 MB of resident memory (issue 18).
 *
 *   const sharp = await loadSharp();
 *   const png = await sharp(data, { limitInputPixels: 40_000_000 }).png().toBuffer();
 */
import type Sharp from 'sharp';

let loaded: typeof Sharp | undefined;

export async function loadSharp(): Promise<typeof Sharp> {
  loaded ??= ((await import('sharp')) as unknown as { default: typeof Sharp }).default;
  return loaded;
}

/** A box an image is cropped to fill (sharp's `cover` fit), in pixels. */
export interface JpegBox {
  width: number;
  height: number;
}

/**
 * The image in `data` re-encoded as JPEG at each box, upright (its EXIF orientation applied) and
 * on white where it was transparent: the covers and the avatars. Throws when sharp cannot
 * read the image (a caller answers its "unreadable" message).
 */
export async function jpegSizes(data: Buffer, boxes: readonly JpegBox[], quality: number): Promise<Buffer[]> {
  const sharp = await loadSharp();
  return Promise.all(
    boxes.map((box) =>
      sharp(data, { limitInputPixels: 40_000_000 })
        .rotate()
        .resize({ ...box, fit: 'cover' })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality })
        .toBuffer(),
    ),
  );
}
