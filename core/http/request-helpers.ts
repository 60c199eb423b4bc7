/** Small helpers every handler needs: text in the request's language, links in its network. */
import type { RucheContext } from './context';

/** Translates `key` for the request's language. */
export const t = (ctx: RucheContext, key: string, params?: Record<string, unknown>): string => ctx.ruche.i18n.t(ctx.state.locale, key, params);

/**
 * A page headed by its title: the document's `<title>` and the template's `pageTitle`, both the
 * catalogue text of `titleKey` (with `params`), and the rest of the template's data.
 */
export const titledPage = (
  ctx: RucheContext,
  view: string,
  titleKey: string,
  data: Record<string, unknown>,
  params?: Record<string, unknown>,
): { view: string; title: string; data: Record<string, unknown> } => {
  const title = t(ctx, titleKey, params);
  return { view, title, data: { pageTitle: title, ...data } };
};

/** The URL of a named route in the request's network (`/n/<slug>` prefix included). */
export const link = (ctx: RucheContext, route: string, params: Record<string, unknown> = {}): string =>
  ctx.ruche.routes.build(route, params, ctx.state.basePath);

/** Each tag with the link to the list of `route` filtered by it (`?tag=`). */
export const tagLinks = (ctx: RucheContext, route: string, tags: readonly string[]): { tag: string; href: string }[] => {
  const list = link(ctx, route);
  return tags.map((tag) => ({ tag, href: `${list}?tag=${encodeURIComponent(tag)}` }));
};

/** Whether the request asks to become a WebSocket: answered like an API request, never with a page or a redirect. */
export const isUpgrade = (ctx: { get(field: string): string }): boolean => ctx.get('upgrade').toLowerCase() === 'websocket';
