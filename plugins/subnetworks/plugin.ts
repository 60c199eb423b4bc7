/**
 * Sub-networks made real for admins and members (the Elgg/Ning idea): root admins create,
 * configure and archive sub-networks and see their adoption (`/admin/networks`); members
 * switch between their networks from the account menu and read one feed across all of
 * them (`/feeds/all`). The core already scopes entities, memberships, roles, plugin state
 * and themes by network, resolves `/n/<slug>` and own host names, and applies each
 * network's join policy; `ruche network ...` (cli/commands/network.ts) is the CLI side.
 */
import { definePlugin, onFilter, registerService } from '../../core';
import { MANAGE, SUBNETWORKS_PLUGIN_ID } from './constants';
import { subnetworkRoutes } from './routes';
import { SubnetworkService } from './service';
import { networkSwitcher } from './switcher';
import { joinOffer } from './outsider';

export default definePlugin({
  id: SUBNETWORKS_PLUGIN_ID,
  version: '1.0.0',
  name: 'subnetworks.plugin.name',
  description: 'subnetworks.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  dependsOn: ['activity', 'admin'],
  permissions: [{ id: MANAGE, defaultRoles: ['admin'], description: 'subnetworks.permission.manage' }],
  routes: subnetworkRoutes,
  templates: ['admin', 'edit', 'mine', 'feed', 'partials/form'],
  menus: [{ menu: 'admin', id: 'subnetworks', label: 'subnetworks.menu.admin', route: 'subnetworks.admin', order: 40 }],
  hooks: [onFilter('menu:user', networkSwitcher), onFilter('outsider:actions', joinOffer)],
  i18n: 'i18n',
  services(container) {
    registerService(container, SubnetworkService);
  },
  seed: () => import('./seed'),
});
