/**
 * Sending a file's bytes, after the caller's access check, through the core's `serveStored`
 * (streamed, byte ranges: 206 / 416, nosniff, sandboxed). What the files plugin adds: the
 * answer is `private, no-cache`, so a browser asks again (and the access is checked again)
 * before reusing it; a download is always an attachment with its UTF-8 name, and a type a
 * browser would run goes out as plain bytes. Only the re-encoded image variants are inline.
 */
import { serveStored, type RucheContext } from '../../core';
import { isActive } from './detect';

export interface Sent {
  key: string;
  /** The name offered to the browser's save dialog; absent for inline images. */
  download?: string;
}

/** `filename="ascii"; filename*=UTF-8''utf8`: the name as typed, with a safe ASCII fallback. */
export function disposition(name: string): string {
  const ascii =
    name
      .replace(/[^\x20-\x7e]+/g, '_')
      .replace(/["\\;]/g, '_')
      .slice(0, 150) || 'download';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name.slice(0, 150))}`;
}

export async function sendFile(ctx: RucheContext, file: Sent): Promise<void> {
  const download = file.download !== undefined;
  await serveStored(ctx, ctx.ruche.storage, file.key, download ? { attachment: true, filename: file.download } : {});
  ctx.set('Cache-Control', 'private, no-cache');
  if (download) {
    ctx.set('Content-Disposition', disposition(file.download!));
    if (isActive(String(ctx.type))) ctx.type = 'application/octet-stream';
  }
}
