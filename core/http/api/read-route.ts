/**
 * A GET route of the JSON API built from what is its own, so every read route answers the
 * same way: `find` reads what is asked for through the page's own lookup (which throws what
 * the page answers: a 404 for what the viewer may not see, a 401 for a guest) and `present`
 * turns it into the declared response. The route is public unless it names the page's
 * capability: the lookup decides, as on the page.
 */
import type { ZodType } from 'zod';
import type { RouteDef } from '../../plugins/manifest';
import type { RucheContext } from '../context';

export interface ApiReadRoute<T> {
  /** `<plugin>.api.<what>`. */
  name: string;
  /** Under `/api/v1/`. */
  path: string;
  /** One line saying what it answers (English), for the reference. */
  summary: string;
  /** The page route that shows the same thing to the same viewer (the API access matrix compares them), or `false`. */
  page: string | false;
  response: ZodType;
  query?: ZodType;
  /** The page's capability, when it has one. */
  capability?: string;
  find(ctx: RucheContext): Promise<T>;
  present(ctx: RucheContext, found: T): unknown;
}

export function apiReadRoute<T>(r: ApiReadRoute<T>): RouteDef {
  return {
    name: r.name,
    method: 'GET',
    path: r.path,
    api: { summary: r.summary, page: r.page, response: r.response, ...(r.query ? { query: r.query } : {}) },
    ...(r.capability ? { capability: r.capability } : { public: true as const }),
    async handler(ctx) {
      return { json: await r.present(ctx, await r.find(ctx)) };
    },
  };
}
