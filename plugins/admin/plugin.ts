/**
 * The administration area: overview, plugins (enable, disable, settings), appearance
 * (theme, site name, default language) and registration (join policy, email domains,
 * guests) of the network a request is for.
 *
 * Other plugins add pages to it by declaring `menus: [{ menu: 'admin', ... }]`: the admin
 * navigation lists every enabled plugin's `admin` menu entries the viewer may use.
 */
import { definePlugin, registerService } from '../../core';
import { ADMIN_ACCESS, ADMIN_PLUGIN_ID } from './constants';
import { adminRoutes } from './routes';
import { AdminService } from './service';

export default definePlugin({
  id: ADMIN_PLUGIN_ID,
  version: '1.0.0',
  name: 'admin.plugin.name',
  description: 'admin.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  // The members console filters by a profile value through the profiles plugin's hooks, where it is on.
  integrations: ['profiles'],
  permissions: [{ id: ADMIN_ACCESS, defaultRoles: ['admin'], description: 'admin.permission.access' }],
  routes: adminRoutes,
  templates: [
    'overview',
    'plugins',
    'settings',
    'appearance',
    'registration',
    'permissions',
    'members',
    'member',
    'members-invite',
    'members-banned',
    'bots',
    'bot',
    'partials/nav',
    'partials/setting-field',
    'partials/described',
    'partials/bot-form',
  ],
  menus: [
    { menu: 'user', id: 'admin', label: 'admin.menu.user', route: 'admin.overview', order: 90 },
    { menu: 'admin', id: 'admin-overview', label: 'admin.menu.overview', route: 'admin.overview', order: 0 },
    { menu: 'admin', id: 'admin-members', label: 'admin.menu.members', route: 'admin.members', order: 5 },
    { menu: 'admin', id: 'admin-bots', label: 'admin.menu.bots', route: 'admin.bots', order: 7 },
    { menu: 'admin', id: 'admin-plugins', label: 'admin.menu.plugins', route: 'admin.plugins', order: 10 },
    { menu: 'admin', id: 'admin-appearance', label: 'admin.menu.appearance', route: 'admin.appearance', order: 20 },
    { menu: 'admin', id: 'admin-registration', label: 'admin.menu.registration', route: 'admin.registration', order: 30 },
    { menu: 'admin', id: 'admin-permissions', label: 'admin.menu.permissions', route: 'admin.permissions', order: 35 },
  ],
  i18n: 'i18n',
  services(container) {
    registerService(container, AdminService);
  },
});
