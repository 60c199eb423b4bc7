/** The JSON API's core endpoints, under /api/v1/, with the same access rules as pages. */
import type { RouteDef } from '../plugins/manifest';

export const apiRoutes: RouteDef[] = [
  {
    name: 'core.api.me',
    outsiders: true,
    method: 'GET',
    path: '/api/v1/me',
    api: { summary: 'The member the request acts as, and their role in the network.' },
    capability: 'core.participate',
    handler(ctx) {
      const v = ctx.state.viewer!;
      return {
        json: {
          id: v.id,
          username: v.username,
          displayName: v.displayName,
          email: v.email,
          locale: v.locale ?? ctx.state.locale,
          network: { id: ctx.state.network.id, slug: ctx.state.network.slug, role: ctx.ruche.permissions.roleOf(v, ctx.state.network.id) },
        },
      };
    },
  },
];
