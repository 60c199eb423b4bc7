/** Small helpers every handler needs: text in the request's language, links in its network. */
import type { RucheContext } from './context';

/** Translates `key` for the request's language. */
export const t = (ctx: RucheContext, key: string, params?: Record<string, unknown>): string => ctx.ruche.i18n.t(ctx.state.locale, key, params);

/** The URL of a named route in the request's network (`/n/<slug>` prefix included). */
export const link = (ctx: RucheContext, route: string, params: Record<string, unknown> = {}): string =>
  ctx.ruche.routes.build(route, params, ctx.state.basePath);

/** Whether the request asks to become a WebSocket: answered like an API request, never with a page or a redirect. */
export const isUpgrade = (ctx: { get(field: string): string }): boolean => ctx.get('upgrade').toLowerCase() === 'websocket';
