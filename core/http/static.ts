/**
 * Serves `/assets/theme/<theme>/...` and `/assets/plugin/<id>/...` from their `assets/`
 * folders. Versioned URLs (`?v=`) are cached for a year; others for an hour.
 */
import type Koa from 'koa';
import send from 'koa-send';
import type { ThemeInfo } from '../views/themes';
import { AssetResolver } from '../views/assets';

export function staticAssets(themes: Map<string, ThemeInfo>, pluginDirs: Map<string, string>): Koa.Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/assets/') || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const m = /^\/assets\/(theme|plugin)\/([a-z0-9-]+)\/(.+)$/.exec(ctx.path);
    const root = m && AssetResolver.folderFor(m[1], m[2], themes, pluginDirs);
    if (!m || !root) return next();
    const immutable = typeof ctx.query.v === 'string';
    try {
      await send(ctx, m[3], {
        root,
        immutable,
        maxage: immutable ? 365 * 86_400_000 : 3_600_000,
        hidden: false,
        index: false,
      });
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 404 || status === 400 || status === 403) return next();
      throw err;
    }
    if (ctx.status === 404) return next();
  };
}
