/**
 * Response compression (koa-compress): brotli or gzip, chosen by the request's
 * `Accept-Encoding`, for bodies of compressible types (HTML, CSS, JavaScript, JSON, SVG…) of
 * at least `compression.threshold` bytes, with `Vary: Accept-Encoding`. Already compressed
 * types (images, archives) and tiny bodies are sent as they are, and so are streamed bodies
 * of unknown length (a download or an event stream is never held back by a compressor).
 * WebSocket upgrades never reach Koa's middleware. Config `compression.enabled: false`
 * leaves the work to a proxy in front (the middleware is then not installed at all).
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

/** The compression middleware, or undefined when the config turns it off. */
export function compression(config: CompressionConfig): Koa.Middleware | undefined {
  if (!config.enabled) return undefined;
  // Brotli at quality 4 costs about what gzip's default does and saves more; deflate (and
  // zstd, which koa-compress offers on Node versions that have it) are left out.
  const options: compress.CompressOptions & { zstd: false } = {
    threshold: config.threshold,
    br: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    gzip: { level: 6 },
    deflate: false,
    zstd: false,
  };
  const encode = compress(options);
  return async (ctx, next) =>
    encode(ctx, async () => {
      await next();
      if (streamedWithoutLength(ctx)) (ctx as { compress?: boolean }).compress = false;
    });
}

/** A streamed body whose size is not known up front, or an event stream. */
function streamedWithoutLength(ctx: Koa.Context): boolean {
  if (/^text\/event-stream\b/i.test(ctx.response.get('Content-Type'))) return true;
  return ctx.body instanceof Stream && ctx.response.length === undefined;
}
