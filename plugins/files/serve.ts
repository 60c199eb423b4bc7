/**
 * Sending a file's bytes, after the caller's access check (made on every request: the
 * answer is `private, no-cache`, so a browser asks again before reusing it). Every answer is
 * `nosniff` and sandboxed; a download is an attachment, sent as a plain byte stream when its
 * type is one a browser would run; only the server's re-encoded images are inline. Single
 * byte ranges (`Range: bytes=a-b`) are answered with 206, unsatisfiable ones with 416.
 */
import { HttpError, type RucheContext } from '../../core';
import { isActive } from './detect';

export interface Sent {
  key: string;
  mime: string;
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

/** The one range of a `Range` header over `size` bytes; null to send all, 'bad' when it cannot be satisfied. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'bad' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (!m[1] && !m[2])) return null;
  let start: number;
  let end: number;
  if (!m[1]) {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'bad';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  }
  if (start >= size || start > end) return 'bad';
  return { start, end };
}

export async function sendFile(ctx: RucheContext, file: Sent): Promise<void> {
  const stored = await ctx.ruche.storage.get(file.key).catch(() => undefined);
  if (!stored) throw new HttpError(404);
  const size = stored.data.length;
  ctx.set('Cache-Control', 'private, no-cache');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
  ctx.set('Accept-Ranges', 'bytes');
  if (file.download !== undefined) {
    ctx.set('Content-Disposition', disposition(file.download));
    ctx.type = isActive(file.mime) ? 'application/octet-stream' : file.mime;
  } else ctx.type = file.mime;
  const range = parseRange(ctx.get('Range') || undefined, size);
  if (range === 'bad') {
    ctx.status = 416;
    ctx.set('Content-Range', `bytes */${size}`);
    ctx.body = '';
    return;
  }
  if (range) {
    ctx.status = 206;
    ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
    ctx.body = stored.data.subarray(range.start, range.end + 1);
    return;
  }
  ctx.body = stored.data;
}
