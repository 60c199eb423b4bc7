/**
 * The admin pages. Handlers are thin: read the request, call AdminService, return a view
 * or a redirect. Every route requires `admin.access` in the request's network; changing the
 * root network's settings (the installation's) also takes root rights (settings-scope.ts).
 */
import {
  bodyOf,
  PluginActionError,
  adminPage,
  auditAction,
  changes,
  field,
  link,
  notFound,
  t,
  type RouteDef,
  type RouteResult,
  type RucheContext,
} from '../../core';
import { ADMIN_ACCESS, type AdminPage } from './constants';
import { AdminService, type FieldErrors } from './service';
import { registrationRoutes } from './registration';
import { permissionRoutes } from './permissions';
import { banRoutes } from './members/bans-routes';
import { botRoutes } from './bots/routes';
import { inviteRoutes } from './members/invite-routes';
import { memberRoutes } from './members/routes';
import { mayReadPluginSettings, requirePluginSettingsRights, requireSettingsRights } from './settings-scope';

const service = (ctx: RucheContext): AdminService => ctx.ruche.container.resolve(AdminService);

/** A page of the admin area (core `adminPage`: the admin navigation with `section` current). */
const page: AdminPage = (ctx, view, title, section, data, status) => adminPage(ctx, `admin/${view}`, title, section, data, status);

/** The plugin named by `:id`, or a 404. */
function pluginParam(ctx: RucheContext) {
  const id = ctx.params?.id ?? '';
  const plugin = service(ctx).plugin(id);
  if (!plugin) throw notFound();
  return plugin;
}

function pluginsPage(ctx: RucheContext, error?: string, status?: number): RouteResult {
  const admin = service(ctx);
  // An installation plugin's settings link only for those who may open it.
  const rows = admin.pluginRows(ctx.state.network.id, ctx.state.locale).map((r) => {
    const plugin = r.hasSettings ? admin.plugin(r.id) : undefined;
    return plugin && !mayReadPluginSettings(ctx, plugin.manifest) ? { ...r, hasSettings: false } : r;
  });
  const enabled = rows.filter((r) => r.enabled).length;
  return page(
    ctx,
    'plugins',
    t(ctx, 'admin.plugins.title'),
    'admin.plugins',
    { plugins: rows, error, summary: t(ctx, 'admin.plugins.summary', { count: rows.length, enabled }) },
    status,
  );
}

async function togglePlugin(ctx: RucheContext, enabled: boolean): Promise<RouteResult> {
  const plugin = pluginParam(ctx);
  requireSettingsRights(ctx);
  const admin = service(ctx);
  try {
    await admin.setEnabled(plugin.manifest.id, enabled, ctx.state.network.id);
  } catch (err) {
    if (err instanceof PluginActionError) return pluginsPage(ctx, admin.describeRefusal(err, ctx.state.locale), 409);
    throw err;
  }
  await auditAction(ctx, { action: enabled ? 'admin.plugin.enable' : 'admin.plugin.disable', objectType: 'plugin', objectId: plugin.manifest.id });
  const params = { plugin: admin.pluginName(plugin.manifest.id, ctx.state.locale) };
  return { redirect: link(ctx, 'admin.plugins'), flash: { key: enabled ? 'admin.plugins.enabled' : 'admin.plugins.disabled', params } };
}

function settingsPage(ctx: RucheContext, input?: Record<string, unknown>, errors: Record<string, string> = {}, status?: number): RouteResult {
  const plugin = pluginParam(ctx);
  // Any admin of the network reads a network plugin's settings (the root's read-only); an installation plugin's take its rights.
  if (plugin.manifest.settingsRights === 'installation') requirePluginSettingsRights(ctx, plugin.manifest);
  const admin = service(ctx);
  const name = admin.pluginName(plugin.manifest.id, ctx.state.locale);
  const fields = admin.settingFields(plugin, ctx.state.network.id, ctx.state.locale, input, errors);
  return page(
    ctx,
    'settings',
    t(ctx, 'admin.settings.title', { plugin: name }),
    'admin.plugins',
    {
      plugin: { id: plugin.manifest.id, name, description: t(ctx, plugin.manifest.description), version: plugin.manifest.version },
      fields,
      formError: errors._form,
      hasErrors: Object.keys(errors).length > 0,
    },
    status,
  );
}

function appearancePage(
  ctx: RucheContext,
  values: { siteName: string; locale: string; theme: string },
  errors: FieldErrors = {},
  status?: number,
): RouteResult {
  const admin = service(ctx);
  const messages = Object.fromEntries(Object.entries(errors).map(([k, e]) => [k, t(ctx, e.key, e.params)]));
  return page(
    ctx,
    'appearance',
    t(ctx, 'admin.appearance.title'),
    'admin.appearance',
    {
      values,
      errors: messages,
      hasErrors: Object.keys(messages).length > 0,
      themeOptions: admin.themeOptions(values.theme, ctx.state.locale),
      localeOptions: admin.localeOptions(values.locale),
    },
    status,
  );
}

export const adminRoutes: RouteDef[] = [
  {
    name: 'admin.overview',
    method: 'GET',
    path: '/admin',
    capability: ADMIN_ACCESS,
    async handler(ctx) {
      const overview = await service(ctx).overview(ctx.state.network, ctx.state.locale);
      return page(ctx, 'overview', t(ctx, 'admin.overview.title'), 'admin.overview', { overview });
    },
  },
  {
    name: 'admin.plugins',
    method: 'GET',
    path: '/admin/plugins',
    capability: ADMIN_ACCESS,
    handler: (ctx) => pluginsPage(ctx),
  },
  {
    name: 'admin.plugins.enable',
    method: 'POST',
    path: '/admin/plugins/:id/enable',
    capability: ADMIN_ACCESS,
    handler: (ctx) => togglePlugin(ctx, true),
  },
  {
    name: 'admin.plugins.disable',
    method: 'POST',
    path: '/admin/plugins/:id/disable',
    capability: ADMIN_ACCESS,
    handler: (ctx) => togglePlugin(ctx, false),
  },
  {
    name: 'admin.settings',
    method: 'GET',
    path: '/admin/plugins/:id/settings',
    capability: ADMIN_ACCESS,
    handler: (ctx) => settingsPage(ctx),
  },
  {
    name: 'admin.settings.save',
    method: 'POST',
    path: '/admin/plugins/:id/settings',
    capability: ADMIN_ACCESS,
    async handler(ctx) {
      const plugin = pluginParam(ctx);
      requirePluginSettingsRights(ctx, plugin.manifest);
      const networkId = ctx.state.network.id;
      const before = ctx.ruche.pluginState.settings(plugin.manifest.id, networkId);
      const refused = await service(ctx).saveSettings(plugin, bodyOf(ctx), networkId, ctx.state.locale);
      if (refused) return settingsPage(ctx, refused.input, refused.errors, 422);
      const changed = changes(before, ctx.ruche.pluginState.settings(plugin.manifest.id, networkId));
      if (changed) await auditAction(ctx, { action: 'admin.settings.save', objectType: 'plugin', objectId: plugin.manifest.id, ...changed });
      const params = { plugin: service(ctx).pluginName(plugin.manifest.id, ctx.state.locale) };
      return { redirect: link(ctx, 'admin.settings', { id: plugin.manifest.id }), flash: { key: 'admin.settings.saved', params } };
    },
  },
  {
    name: 'admin.appearance',
    method: 'GET',
    path: '/admin/appearance',
    capability: ADMIN_ACCESS,
    handler(ctx) {
      const n = ctx.state.network;
      return appearancePage(ctx, { siteName: n.name, locale: n.locale, theme: n.theme });
    },
  },
  {
    name: 'admin.appearance.save',
    method: 'POST',
    path: '/admin/appearance',
    capability: ADMIN_ACCESS,
    async handler(ctx) {
      requireSettingsRights(ctx);
      const values = { siteName: field(ctx, 'siteName'), locale: field(ctx, 'locale'), theme: field(ctx, 'theme') };
      const n = ctx.state.network;
      const before = { siteName: n.name, locale: n.locale, theme: n.theme };
      const errors = await service(ctx).saveAppearance(n.id, values);
      if (Object.keys(errors).length) return appearancePage(ctx, values, errors, 422);
      const saved = ctx.ruche.networks.get(n.id);
      const changed = saved && changes(before, { siteName: saved.name, locale: saved.locale, theme: saved.theme });
      if (changed) await auditAction(ctx, { action: 'admin.appearance.save', objectType: 'network', objectId: n.id, ...changed });
      return { redirect: link(ctx, 'admin.appearance'), flash: 'admin.appearance.saved' };
    },
  },
  ...registrationRoutes(page),
  ...permissionRoutes(page),
  // The invitation page first: `/admin/members/invite` is not a member's page.
  ...inviteRoutes(page),
  ...banRoutes(page),
  ...botRoutes(page),
  ...memberRoutes(page),
];
