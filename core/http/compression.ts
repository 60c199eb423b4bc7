/**
 * Response compression: brotli or gzip, chosen by the request's `Accept-Encoding`, for bodies
 * of compressible types (HTML, CSS, JavaScript, JSON, SVG…) of at least
 * `compression.threshold` bytes, with `Vary: Accept-Encoding`. Already compressed types
 * (images, archives) and tiny bodies are sent as they are, and so are streamed bodies of
 * unknown length (a download or an event stream is never held back by a compressor).
 * WebSocket upgrades never reach Koa's middleware. Config `compression.enabled: false` leaves
 * the work to a proxy in front (the middleware is then not installed at all).
 *
 * Pages and API answers are strings built in memory: they are compressed in one synchronous
 * call (`compressText`), which costs a fraction of a compressor stream (no stream pipeline, no
 * thread-pool round trip) and lets the answer carry its `Content-Length`. Streams of known
 * length (files) and other types go through koa-compress, which makes the same decisions.
 */
import { Stream } from 'node:stream';
import zlib from 'node:zlib';
import type Koa from 'koa';
import compress from 'koa-compress';

export interface CompressionConfig {
  enabled: boolean;
  /** Smallest body compressed, in bytes. */
  threshold: number;
}

/**
 * Levels by size (issue 18), measured on the bench's pages (CPU per call, bytes): brotli quality
 * 1 takes 0.08 ms for a 9 KB page (2.7 KB), 0.13 ms for the 70 KB feed (8.2 KB), where quality
 * 3 took 0.12 and 0.32 ms for 7% fewer bytes and quality 5 0.27 and 0.73 ms for 20% fewer. A
 * page that compresses to under ~14 KB travels in TCP's first window whatever the level, so
 * bytes saved there save no round trip: the fastest level serves bodies under
 * `LARGE_BODY`; bigger bodies (exports, long JSON answers), where bytes start to cost time on a
 * slow link, get brotli 4 and gzip 6. Brotli quality 0 is the fastest (2026-12-05, the bench's
 * pages): a 67-82 KB feed 75-94 µs against 122-141 µs at quality 1, a 21-34 KB list 44-60 µs
 * against 52-81 µs, for 1-8% more bytes (10.5 KB at most, the home feed). Gzip (clients
 * without brotli) likewise: level 1 is 0.07 / 0.23 ms against 0.12 / 0.61 ms at level 6.
 */
export const LARGE_BODY = 128 * 1024;
export const compressionLevels = (bytes: number): { brotli: number; gzip: number } =>
  bytes < LARGE_BODY ? { brotli: 0, gzip: 1 } : { brotli: 4, gzip: 6 };
const GZIP_LEVEL = 6;

/** The compression middleware, or undefined when the config turns it off. */
export function compression(config: CompressionConfig): Koa.Middleware | undefined {
  if (!config.enabled) return undefined;
  // Deflate (and zstd, which koa-compress offers on Node versions that have it) are left out.
  const options: compress.CompressOptions & { zstd: false } = {
    threshold: config.threshold,
    br: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }, // files (stylesheets, scripts), which browsers keep
    gzip: { level: GZIP_LEVEL },
    deflate: false,
    zstd: false,
  };
  const encode = compress(options);
  return async (ctx, next) =>
    encode(ctx, async () => {
      await next();
      if (streamedWithoutLength(ctx)) (ctx as { compress?: boolean }).compress = false;
      else if (compressText(ctx, config.threshold)) (ctx as { compress?: boolean }).compress = false;
    });
}

/** Text types compressed in one call; any other type is left to koa-compress. */
const TEXT = /^(?:text\/(?!event-stream)[\w.+-]+|application\/(?:json|javascript|xml|[\w.-]+\+(?:json|xml))|image\/svg\+xml)\s*(?:;|$)/i;
const EMPTY = new Set([204, 205, 304]);

/**
 * Compresses a string or Buffer body of a text type in place; true when the body is final
 * (compressed, or never to be compressed), false to let koa-compress decide.
 */
function compressText(ctx: Koa.Context, threshold: number): boolean {
  let body: unknown = ctx.body;
  // A JSON answer (an object): serialised here as Koa would, so it is compressed in one call too.
  if (body !== null && typeof body === 'object' && !(body instanceof Stream) && !Buffer.isBuffer(body)) body = JSON.stringify(body);
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) return false;
  if (!TEXT.test(ctx.response.get('Content-Type'))) return false;
  if (
    ctx.method === 'HEAD' ||
    EMPTY.has(ctx.status) ||
    ctx.status === 206 ||
    ctx.response.get('Content-Encoding') ||
    /(?:^|,)\s*no-transform\s*(?:,|$)/.test(ctx.response.get('Cache-Control')) ||
    ctx.res.headersSent
  )
    return true;
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  if (bytes.length < threshold) return true;
  const encoding = chooseEncoding(ctx.get('accept-encoding'));
  if (!encoding) return true;
  const levels = compressionLevels(bytes.length);
  ctx.body =
    encoding === 'br'
      ? zlib.brotliCompressSync(bytes, {
          params: { [zlib.constants.BROTLI_PARAM_QUALITY]: levels.brotli, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
        })
      : zlib.gzipSync(bytes, { level: levels.gzip });
  ctx.set('Content-Encoding', encoding);
  return true;
}

/**
 * The encoding for an `Accept-Encoding` header, as koa-compress negotiates it: the highest
 * quality among br, gzip and identity (identity defaults to `*`, else to the lowest non-zero
 * quality listed), ties going to br, then gzip, then identity; a lone `*` means gzip. Undefined: send as it is.
 */
export function chooseEncoding(header: string): 'br' | 'gzip' | undefined {
  const value = header.trim();
  if (!value) return undefined;
  if (value === '*') return 'gzip';
  const quality = new Map<string, number>();
  for (const part of value.split(',')) {
    const [name, ...params] = part.split(';');
    const q = params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
    const n = q === undefined ? 1 : Number(q);
    if (name.trim()) quality.set(name.trim().toLowerCase(), Number.isFinite(n) ? n : 0);
  }
  const listed = (e: string): number => quality.get(e) ?? quality.get('*') ?? 0;
  const identity = quality.get('identity') ?? quality.get('*') ?? Math.min(1, ...[...quality.values()].map((q) => q || 1));
  const best = Math.max(listed('br'), listed('gzip'), identity);
  if (best <= 0) return undefined;
  return listed('br') === best ? 'br' : listed('gzip') === best ? 'gzip' : undefined;
}

/** A streamed body whose size is not known up front, or an event stream. */
function streamedWithoutLength(ctx: Koa.Context): boolean {
  if (/^text\/event-stream\b/i.test(ctx.response.get('Content-Type'))) return true;
  return ctx.body instanceof Stream && ctx.response.length === undefined;
}
