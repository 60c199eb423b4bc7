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

/**
 * A page of the admin area (any plugin's, or the core's): its title (translated) as for
 * `titledPage`, and `adminSection`, the route of the admin menu entry it belongs to. The page
 * then shows the admin area's navigation with that entry current: renderPage builds it, the
 * template includes `core/partials/admin-nav`.
 */
export const adminPage = (
  ctx: RucheContext,
  view: string,
  title: string,
  section: string,
  data: Record<string, unknown>,
  status?: number,
): { view: string; title: string; status?: number; data: Record<string, unknown> } => ({
  view,
  title,
  status,
  data: { ...data, pageTitle: title, adminSection: section },
});

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
