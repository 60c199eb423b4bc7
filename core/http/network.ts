/**
 * Resolves the network a request is for: a network's own host name, else `/n/<slug>/...`
 * (the prefix is stripped and kept as `basePath`), else the root network.
 */
import type Koa from 'koa';
import { HttpError } from '../errors';
import type { Networks } from '../networks';

export function networkResolution(networks: Networks): Koa.Middleware {
  return async (ctx, next) => {
    ctx.state.basePath = '';
    const byHost = networks.host(ctx.hostname || '');
    if (byHost) {
      ctx.state.network = byHost;
      return next();
    }
    ctx.state.network = networks.root();
    const m = /^\/n\/([a-z0-9-]+)(\/.*)?$/.exec(ctx.path);
    if (m) {
      const sub = networks.slug(m[1]);
      if (!sub) throw new HttpError(404);
      ctx.state.network = sub;
      ctx.state.basePath = `/n/${sub.slug}`;
      ctx.path = m[2] || '/';
    }
    await next();
  };
}
