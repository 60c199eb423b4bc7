/**
 * A network's branding, per network (`/branding.css`, `/n/<slug>/branding.css` or on its
 * own host): its colours as a stylesheet (the CSP allows no inline style) and its logo.
 * Open to everyone (guests, outsiders): the layout of every page links them.
 */
import { brandingCss, brandingVersion, logoKey } from '../branding';
import { notFound } from '../errors';
import type { RouteDef } from '../plugins/manifest';
import { serveStored } from '../storage';

export const brandingRoutes: RouteDef[] = [
  {
    name: 'core.branding.css',
    method: 'GET',
    path: '/branding.css',
    public: true,
    outsiders: true,
    handler(ctx) {
      const b = ctx.state.network.branding;
      ctx.type = 'text/css; charset=utf-8';
      // `?v=` names this exact content: cached for a year; otherwise briefly.
      ctx.set('Cache-Control', ctx.query.v === brandingVersion(b) ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
      ctx.body = brandingCss(b);
    },
  },
  {
    name: 'core.branding.logo',
    method: 'GET',
    path: '/branding/logo/:file',
    public: true,
    outsiders: true,
    async handler(ctx) {
      const m = /^([a-f0-9]{20})\.png$/.exec(ctx.params.file ?? '');
      if (!m) throw notFound();
      await serveStored(ctx, ctx.ruche.storage, logoKey(ctx.state.network.id, m[1]), { immutable: true });
    },
  },
];
