/**
 * Resolves the network a request is for: a network's own host name, else `/n/<slug>/...`
 * (the prefix is stripped and kept as `basePath`), else the root network.
 *
 * Known hosts: every network's own host, the configured `allowedHosts` (by default the
 * host of an explicitly set `siteUrl`; any host when neither is set), and the loopback
 * names `localhost`, `127.0.0.1` and `[::1]` (so `npm start` users and local tools reach
 * the site whatever its public address). Any other Host header answers a localised 404
 * page (JSON under `/api/`) instead of serving the root network under a foreign name.
 */
import type Koa from 'koa';
import { HttpError } from '../errors';
import type { Networks } from '../networks';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether `hostname` (lowercase, without port) matches the allowed list (`*`, `*.example.com`, exact names). */
export function hostAllowed(hostname: string, allowed: readonly string[]): boolean {
  if (!hostname || LOOPBACK.has(hostname)) return true;
  return allowed.some((a) => a === '*' || a === hostname || (a.startsWith('*.') && hostname.endsWith(a.slice(1))));
}

export function networkResolution(networks: Networks, allowedHosts: readonly string[] = ['*']): Koa.Middleware {
  return async (ctx, next) => {
    ctx.state.basePath = '';
    const hostname = (ctx.hostname || '').toLowerCase();
    const byHost = networks.host(hostname);
    if (byHost) {
      ctx.state.network = byHost;
      return next();
    }
    if (!hostAllowed(hostname, allowedHosts)) {
      throw new HttpError(404, 'core.host.unknown', { host: hostname.slice(0, 253) }, 'unknown_host');
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
