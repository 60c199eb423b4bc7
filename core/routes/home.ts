/** The network's home page: sections contributed by plugins, or a welcome for guests. */
import type { RouteDef } from '../plugins/manifest';

export const homeRoutes: RouteDef[] = [
  {
    name: 'core.home',
    method: 'GET',
    path: '/',
    public: true,
    async handler(ctx) {
      const rt = ctx.ruche;
      const network = ctx.state.network;
      const viewer = ctx.state.viewer;
      if (await rt.setup.needsSetup()) {
        return { view: 'core/setup-pending', title: rt.i18n.t(ctx.state.locale, 'core.setupPending.title') };
      }
      const sections = viewer
        ? (await rt.hooks.filter('home:sections', [], { ctx, networkId: network.id, viewer, locale: ctx.state.locale })).sort(
            (a, b) => (a.order ?? 50) - (b.order ?? 50),
          )
        : [];
      return {
        view: 'core/home',
        data: {
          sections,
          isAdmin: viewer ? rt.permissions.can(viewer, 'core.admin', network.id) : false,
          enabledPlugins: rt.pluginState.enabledIds(network.id).length,
        },
      };
    },
  },
];
