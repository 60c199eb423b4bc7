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
