/**
 * The JSON API's core endpoints, under /api/v1/, with the same access rules as pages; its
 * OpenAPI document, generated from the routes' declarations, and the readable reference page.
 */
import { z } from 'zod';
import type { RouteDef } from '../plugins/manifest';
import { openApiDocument } from '../http/api/openapi';
import { referenceData } from '../http/api/reference';
import { apiMemberFields } from '../http/api/shapes';
import { link, t } from '../http/request-helpers';

const me = z.object({
  ...apiMemberFields,
  email: z.string(),
  locale: z.string(),
  network: z.object({ id: z.number().int(), slug: z.string(), role: z.string().nullable() }),
});

const openApi = z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({ title: z.string() }), paths: z.record(z.string(), z.unknown()) });

export const apiRoutes: RouteDef[] = [
  {
    name: 'core.api.me',
    outsiders: true,
    method: 'GET',
    path: '/api/v1/me',
    api: { summary: 'The member the request acts as, and their role in the network.', response: me, page: 'core.account' },
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
  {
    name: 'core.api.openapi',
    method: 'GET',
    path: '/api/v1/openapi.json',
    api: {
      summary: 'This API described in OpenAPI 3.1, generated from the routes’ declarations.',
      response: openApi,
      page: 'core.api.reference',
    },
    public: true,
    handler(ctx) {
      const server = `${ctx.origin}${ctx.state.basePath}`;
      return { json: openApiDocument(ctx.ruche, ctx.state.network, server, ctx.state.locale) };
    },
  },
  {
    name: 'core.api.reference',
    method: 'GET',
    path: '/api-docs',
    public: true,
    handler(ctx) {
      return {
        view: 'core/api-reference',
        title: t(ctx, 'core.api.reference.title'),
        data: { ...referenceData(ctx), document: link(ctx, 'core.api.openapi') },
      };
    },
  },
];
