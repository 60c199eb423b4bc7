/**
 * The outsider gate: a signed-in member who belongs to none of the request's network (a
 * partner company's member at the root, a member of one sub-network at another) gets a
 * clear 403 page listing the networks they do belong to, with links — or a JSON 403 under
 * `/api/` — instead of that network's pages. Routes that must stay open to them say so in
 * their definition (`outsiders: true`): sign-in and sign-out, language, registration and
 * email links, account pages, joining a network. Guests are not outsiders (they keep the
 * public pages and the sign-in page); root admins are never outsiders.
 */
import { HttpError } from '../errors';
import type { NetworkInfo, RucheContext } from './context';
import { renderPage } from './render';
import { isUpgrade } from './request-helpers';
import type { ViewContext } from '../views/context';

/**
 * Whether a signed-in, active viewer is outside the network: no role there, and not an
 * admin of every network (a root admin, or an admin of the root network).
 */
export function isOutsider(ctx: RucheContext, network: NetworkInfo): boolean {
  const viewer = ctx.state.viewer;
  return !!viewer && viewer.status === 'active' && ctx.ruche.permissions.roleOf(viewer, network.id) === 'guest';
}

/**
 * The capability check of a route open to outsiders: their role here is `guest`, so what
 * counts is holding the capability in one of the networks they belong to (an account page
 * needs `core.participate` somewhere, not here).
 */
export function outsiderCan(ctx: RucheContext, capability: string): boolean {
  const viewer = ctx.state.viewer;
  return !!viewer && Object.keys(viewer.roles).some((id) => ctx.ruche.permissions.can(viewer, capability, Number(id)));
}

/**
 * Where a network's pages start, as seen from this request: its own host when it has one
 * (same scheme and port as the request), else `/n/<slug>/` — absolute (from the site URL)
 * when the request came in on a network's own host, where `/n/...` would not resolve.
 */
export function networkHome(ctx: RucheContext, network: NetworkInfo): string {
  const port = /:\d+$/.exec(ctx.host)?.[0] ?? '';
  if (network.host) return `${ctx.protocol}://${network.host}${port}/`;
  const path = network.parentId === null ? '/' : `/n/${network.slug}/`;
  const onOwnHost = !!ctx.state.network?.host && ctx.hostname === ctx.state.network.host;
  return onOwnHost ? `${ctx.ruche.config.siteUrl.replace(/\/$/, '')}${path}` : path;
}

const wantsJson = (ctx: RucheContext): boolean => ctx.path.startsWith('/api/') || isUpgrade(ctx) || ctx.accepts('html', 'json') === 'json';

/** Answers an outsider: the page of their networks (403), or a JSON 403 (API, forms, WebSocket upgrades). */
export async function refuseOutsider(ctx: RucheContext): Promise<void> {
  const rt = ctx.ruche;
  const network = ctx.state.network;
  const viewer = ctx.state.viewer!;
  if (wantsJson(ctx) || ctx.method !== 'GET') {
    throw new HttpError(403, 'core.outsider.message', { network: network.name }, 'not_a_member');
  }
  const root = rt.networks.root();
  const networks = Object.keys(viewer.roles)
    .map((id) => rt.networks.get(Number(id)))
    .filter((n): n is NetworkInfo => !!n)
    .sort((a, b) => (a.id === root.id ? -1 : b.id === root.id ? 1 : a.name.localeCompare(b.name)))
    .map((n) => ({ name: n.name, href: networkHome(ctx, n) }));
  const viewCtx: ViewContext = { ctx, networkId: network.id, viewer, locale: ctx.state.locale };
  const actions = await rt.hooks.filter('outsider:actions', [], { ...viewCtx, network });
  const title = rt.i18n.t(ctx.state.locale, 'core.outsider.title', { network: network.name });
  await renderPage(ctx, 'core/outsider', { pageTitle: title, network: { name: network.name }, networks, actions }, { title, status: 403 });
}
