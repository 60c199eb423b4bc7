/**
 * Answering a request with a stored file: streamed (never read whole into memory), long-cached
 * when the key is content-addressed, byte ranges for players and resumed downloads
 * (`Accept-Ranges`, 206, 416), and never as active content: only images and a few safe
 * types are shown inline, everything else downloads, always sandboxed and `nosniff`.
 */
import type Koa from 'koa';
import { HttpError } from '../errors';
import { StorageKeyError, type ByteRange, type Storage, type StoredHead } from './store';

/** Types shown in the browser; any other type is sent as an attachment. */
export const INLINE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'text/plain', 'application/pdf']);

export interface ServeOptions {
  /** The key changes whenever the content does: cache for a year. */
  immutable?: boolean;
  /** Name offered when the file downloads. */
  filename?: string;
  /** Download even a type that could be shown inline. */
  attachment?: boolean;
}

/**
 * Answers with a stored file (404 when missing). GET and HEAD; a `Range: bytes=...` header
 * with one range gets a 206 with that range, one outside the file a 416; several ranges, or
 * a range whose `If-Range` no longer matches, get the whole file.
 */
export async function serveStored(ctx: Koa.Context, storage: Storage, key: string, options: ServeOptions = {}): Promise<void> {
  const asked = ctx.get('Range');
  let head: StoredHead | undefined;
  let range: ByteRange | undefined;
  if (asked || ctx.method === 'HEAD') {
    head = await storage.head(key).catch(badKeyAsMissing);
    if (!head) throw new HttpError(404);
    const parsed = asked && ifRangeHolds(ctx.get('If-Range'), head) ? parseRange(asked, head.size) : undefined;
    if (parsed === 'unsatisfiable') {
      ctx.set('Accept-Ranges', 'bytes');
      ctx.set('Content-Range', `bytes */${head.size}`);
      throw new HttpError(416, 'core.error.416.message');
    }
    range = parsed;
  }
  if (ctx.method === 'HEAD') {
    describe(ctx, head as StoredHead, range, options);
    ctx.length = range ? range.end - range.start + 1 : (head as StoredHead).size;
    return;
  }
  const file = await storage.stream(key, range).catch(badKeyAsMissing);
  if (!file) throw new HttpError(404);
  describe(ctx, file, range, options);
  ctx.body = file.body;
  ctx.length = range ? range.end - range.start + 1 : file.size;
}

/**
 * A key that breaks the rules names no file (404). Any other failure (the store unreachable,
 * a full disk) is an error of ours, logged and answered 500: not passed off as a missing file.
 */
function badKeyAsMissing(e: unknown): undefined {
  if (e instanceof StorageKeyError) return undefined;
  throw e;
}

/** Status and headers of the answer. */
function describe(ctx: Koa.Context, head: StoredHead, range: ByteRange | undefined, options: ServeOptions): void {
  ctx.status = range ? 206 : 200;
  ctx.type = head.contentType;
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('Last-Modified', head.modified.toUTCString());
  if (range) ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${head.size}`);
  ctx.set('Cache-Control', options.immutable ? 'public, max-age=31536000, immutable' : 'private, max-age=300');
  ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
  ctx.set('X-Content-Type-Options', 'nosniff');
  if (options.attachment || !INLINE_TYPES.has(head.contentType)) {
    const name = (options.filename ?? 'download').replace(/[^\w.-]+/g, '_').slice(0, 100);
    ctx.set('Content-Disposition', `attachment; filename="${name}"`);
  }
}

/**
 * One range of a `Range` header for a file of `size` bytes (RFC 9110 §14.1.2):
 * `bytes=0-99`, `bytes=100-` (to the end), `bytes=-100` (the last 100). Undefined: ignore
 * the header and send the whole file (not `bytes`, several ranges, not a range at all).
 */
export function parseRange(header: string, size: number): ByteRange | 'unsatisfiable' | undefined {
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (!Number.isSafeInteger(suffix)) return undefined;
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? Infinity : Number(m[2]);
  if (!Number.isSafeInteger(start) || !(Number.isSafeInteger(end) || end === Infinity) || end < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}

/** `If-Range` absent, or the very date we send as Last-Modified (we send no ETag, so an entity tag never matches). */
function ifRangeHolds(value: string, head: StoredHead): boolean {
  return !value || value.trim() === head.modified.toUTCString();
}
