/**
 * Renders a page: the view inside the theme's layout, with everything the layout needs
 * (site, viewer, menus, flash, styles, languages) and the per-request helper environment.
 */
import type { NetworkInfo, RucheContext } from './context';
import { brandingVersion } from '../branding';
import { isOutsider } from './outsiders';
import type { RenderEnv } from '../views/helpers';
import type { MenuItem } from '../views/menu';
import type { ViewContext } from '../views/context';
import type { ThemeInfo } from '../views/themes';
import type { Runtime } from '../runtime';
import { LOCALES } from '../i18n/i18n';
import { INSTALLATION } from '../access/scope';
import { takeFlash } from './flash';
import { avatarUrl } from '../content/people';
import { activeViewer } from './params';

export interface RenderOptions {
  title?: string;
  status?: number;
  layout?: string | false;
  /** Skip plugin filters (menus): the error page must render even when a filter is what failed. */
  withoutFilters?: boolean;
}

export function renderEnv(ctx: RucheContext): RenderEnv {
  const rt = ctx.ruche;
  const theme = ctx.state.network?.theme ?? rt.networks.root().theme;
  const basePath = ctx.state.basePath ?? '';
  const networkId = ctx.state.network?.id ?? rt.networks.root().id;
  return {
    locale: ctx.state.locale ?? 'en',
    csrfToken: ctx.state.csrfToken ?? '',
    now: new Date(),
    timeZone: ctx.state.viewer?.timeZone ?? undefined,
    can: (capability) => rt.permissions.can(ctx.state.viewer ?? null, capability, networkId),
    url: (target, params) => (target.startsWith('/') ? basePath + target : rt.routes.build(target, params, basePath)),
    asset: (ref) => rt.assets.url(rt.views.chain(theme), ref),
  };
}

export async function renderPage(ctx: RucheContext, view: string, data: Record<string, unknown> = {}, options: RenderOptions = {}): Promise<void> {
  const rt = ctx.ruche;
  const network = ctx.state.network ?? rt.networks.root();
  const env = renderEnv(ctx);
  const viewCtx: ViewContext = { ctx, networkId: network.id, viewer: ctx.state.viewer ?? null, locale: env.locale };
  const layoutData: Record<string, unknown> = {};
  if (options.layout !== false) {
    const chain = rt.views.chain(network.theme);
    // Objects are merged with Object.assign on this path, not `{ ...a, b }`: on Node 20 each property
    // written after a spread costs about 1 µs (the copy's shape is rebuilt), 12-20 µs for the page's
    // data over the layout's (docs/performance.md, issue 18).
    const viewer = ctx.state.viewer
      ? Object.assign({}, ctx.state.viewer, {
          isAdmin: rt.permissions.can(ctx.state.viewer, 'core.admin', network.id),
          // The same picture as beside their posts (feed cards use this size): photo or initials.
          avatarUrl: avatarUrl(ctx, { id: ctx.state.viewer.id, photo_key: ctx.state.viewer.photoKey }, 64),
        })
      : null;
    // Banners above the content and page scripts, for a member of this network (an urgent alert).
    const memberShell = !(options.withoutFilters || !activeViewer(ctx) || !ctx.state.network || isOutsider(ctx, network));
    Object.assign(layoutData, {
      lang: env.locale,
      title: options.title ?? network.name,
      site: { name: network.name, url: rt.config.siteUrl },
      network,
      viewer,
      menus: {
        // No network's pages to offer: under an unknown host name, or to an outsider (403 everywhere).
        main:
          !ctx.state.network || isOutsider(ctx, network)
            ? []
            : options.withoutFilters
              ? buildMenu(ctx, 'main', env)
              : await rt.hooks.filter('menu:main', buildMenu(ctx, 'main', env), viewCtx),
        user: options.withoutFilters ? buildMenu(ctx, 'user', env) : await rt.hooks.filter('menu:user', buildMenu(ctx, 'user', env), viewCtx),
      },
      // The admin area's pages, on a page of it (`adminPage`), its own entry current.
      adminNav: typeof data.adminSection === 'string' ? adminNav(ctx, env, data.adminSection) : null,
      indicators:
        options.withoutFilters || !ctx.state.viewer
          ? []
          : (await rt.hooks.filter('layout:indicators', [], viewCtx))
              .sort((a, b) => (a.order ?? 50) - (b.order ?? 50))
              .map((i) => Object.assign({}, i, { badge: i.count && i.count > 0 ? (i.count > 99 ? '99+' : String(i.count)) : null })),
      banners: memberShell ? (await rt.hooks.filter('layout:banners', [], viewCtx)).sort((a, b) => (a.order ?? 50) - (b.order ?? 50)) : [],
      scripts: memberShell ? await rt.hooks.filter('layout:scripts', [], viewCtx) : [],
      // The header's search box, where a plugin offers search to this viewer here.
      search: options.withoutFilters || !ctx.state.network || isOutsider(ctx, network) ? null : await rt.hooks.filter('layout:search', null, viewCtx),
      flash: takeFlash(ctx).map((f) => ({ type: f.type, text: rt.i18n.t(env.locale, f.key, f.params) })),
      // The network's colours come last, over the theme's (core/branding.ts).
      styles: [...themeStyles(rt, chain), ...brandingStyles(ctx, network)],
      branding: { logo: network.branding.logo ? `${ctx.state.basePath ?? ''}/branding/logo/${network.branding.logo}.png` : null },
      locales: LOCALES.map((code) => ({ code, label: rt.i18n.t(code, 'core.language.name'), current: code === env.locale })),
      currentPath: ctx.originalUrl,
      requestId: ctx.state.requestId,
    });
    layoutData.pageHeader = pageHeader(layoutData, viewer, ctx.originalUrl === env.url('/'));
  }
  ctx.status = options.status ?? 200;
  ctx.type = 'html';
  const member = activeViewer(ctx);
  if (member && ctx.state.network && options.layout !== false && ctx.status < 400 && !isOutsider(ctx, network))
    await rt.hooks.emit('page:viewed', { networkId: network.id, userId: member.id, at: Date.now() });
  // The view sees its own data over the layout's (a route's `locales` or `requestId` wins);
  // the layout sees its own over the view's, so a route cannot break the header or footer.
  // The page as UTF-8 bytes at once: given the string, Koa would first measure its UTF-8 length (a
  // pass over the whole page, 50 µs for a feed under load) and compression would then encode it.
  ctx.body = Buffer.from(
    rt.views.render(network.theme, view, Object.assign({}, layoutData, data), env, options.layout ?? 'main', Object.assign({}, data, layoutData)),
  );
}

/** The theme chain's stylesheets, the parent's first: built once per compiled theme (its chain array). */
const STYLES = new WeakMap<ThemeInfo[], string[]>();
function themeStyles(rt: Runtime, chain: ThemeInfo[]): string[] {
  let styles = STYLES.get(chain);
  if (!styles) {
    styles = [...chain].reverse().flatMap((t) => t.styles.map((s) => rt.assets.url([t], s)));
    STYLES.set(chain, styles);
  }
  return styles;
}

/**
 * What the page header (`theme/header`, rendered as a kept fragment: core/cache/fragments.ts)
 * shows, and nothing else: its HTML is a function of this data, the theme, the locale and the
 * base path, so it is rendered once per viewer, menu state and badge counts and reused on
 * their next pages. The request's path is only "am I on the home page"; the CSRF token of the
 * sign-out form is filled per request.
 */
function pageHeader(layout: Record<string, unknown>, viewer: { username: string; displayName: string; avatarUrl: string } | null, home: boolean) {
  return {
    site: layout.site,
    branding: layout.branding,
    viewer: viewer && { username: viewer.username, displayName: viewer.displayName, avatarUrl: viewer.avatarUrl },
    menus: layout.menus,
    indicators: layout.indicators,
    search: layout.search,
    home,
  };
}

function brandingStyles(ctx: RucheContext, network: NetworkInfo): string[] {
  const b = network.branding;
  return b.primary || b.accent ? [`${ctx.state.basePath ?? ''}/branding.css?v=${brandingVersion(b)}`] : [];
}

/** The admin menu with the entry of `section` (a route name) marked current. */
function adminNav(ctx: RucheContext, env: RenderEnv, section: string): MenuItem[] {
  const current = env.url(section);
  return buildMenu(ctx, 'admin', env).map((item) => Object.assign({}, item, { active: item.href === current }));
}

/** Menu entries from the enabled plugins' manifests that this viewer may use. */
export function buildMenu(ctx: RucheContext, menu: 'main' | 'user' | 'admin', env: RenderEnv): MenuItem[] {
  const rt = ctx.ruche;
  const network = ctx.state.network ?? rt.networks.root();
  const items: MenuItem[] = [];
  // A network closed to guests sends them to sign in from its pages: only entries open to them are offered.
  const closedToViewer = menu === 'main' && !network.allowGuests && !activeViewer(ctx);
  for (const plugin of rt.plugins.manifests()) {
    if (!rt.pluginState.isEnabled(plugin.manifest.id, network.id)) continue;
    for (const m of plugin.manifest.menus ?? []) {
      if (m.menu !== menu || (closedToViewer && !m.guests)) continue;
      const route = plugin.manifest.routes?.find((r) => r.name === m.route);
      const capability = m.capability ?? route?.capability;
      if (capability && !env.can(capability)) continue;
      if (route?.scope === 'installation' && !rt.scopes.mayAct(ctx.state.viewer ?? null, route.capability!, INSTALLATION)) continue;
      if (m.visible && !m.visible(ctx)) continue;
      items.push({
        id: m.id,
        label: rt.i18n.t(env.locale, m.label),
        href: env.url(m.route),
        order: m.order ?? 50,
        // The entry's page or one below it (`core.account` for `core.account.sessions`).
        active: ctx.state.routeName === m.route || (ctx.state.routeName?.startsWith(`${m.route}.`) ?? false),
      });
    }
  }
  return items.sort((a, b) => a.order - b.order);
}
