/**
 * Images are re-encoded by the server (sharp): turned upright from their EXIF orientation and
 * written again without any metadata (location, camera, dates), as a display size and a
 * square thumbnail. Only these re-encoded variants are ever shown inline: whatever else the
 * uploaded bytes carried (a script appended to a GIF) is not in them.
 */
import { loadSharp } from '../../core';
import { DISPLAY_PX, THUMB_PX } from './constants';

export interface Variants {
  display: Buffer;
  thumb: Buffer;
  /** The type of both variants. */
  mime: string;
  width: number;
  height: number;
}

/** Output format per input type: GIF becomes PNG (its first frame), the others keep theirs. */
const OUT: Record<string, 'jpeg' | 'png' | 'webp'> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/gif': 'png', 'image/webp': 'webp' };

/** The variants of an image, or undefined when sharp cannot read it (a broken or disguised file). */
export async function makeVariants(data: Buffer, mime: string): Promise<Variants | undefined> {
  const format = OUT[mime];
  if (!format) return undefined;
  const sharp = await loadSharp();
  try {
    const source = () => sharp(data, { failOn: 'error', limitInputPixels: 60_000_000 }).rotate();
    const display = await source()
      .resize({ width: DISPLAY_PX, height: DISPLAY_PX, fit: 'inside', withoutEnlargement: true })
      .toFormat(format, format === 'jpeg' ? { quality: 85, mozjpeg: true } : {})
      .toBuffer({ resolveWithObject: true });
    const thumb = await source()
      .resize({ width: THUMB_PX, height: THUMB_PX, fit: 'cover' })
      .toFormat(format, format === 'jpeg' ? { quality: 80 } : {})
      .toBuffer();
    return { display: display.data, thumb, mime: `image/${format}`, width: display.info.width, height: display.info.height };
  } catch {
    return undefined;
  }
}
