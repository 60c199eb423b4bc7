/**
 * Connections: follow (one-way) and connect (mutual: request, accept, decline, cancel,
 * remove — accepted connections are the core's `friends` access level, kept in
 * `user_relations`), the member directory, suggestions and the new members list.
 */
import { definePlugin, onEvent, onFilter, registerService } from '../../core';
import type {} from '../profiles/hooks';
import './hooks';
import { connectionsApiRoutes } from './api-routes';
import { migrations } from './migrations';
import { connectionsNotifications } from './notifications';
import { connectionsRoutes, USE } from './routes';
import { profileSection } from './profile-section';
import { ConnectionsService } from './service';
import { memberData } from './member-data';

export default definePlugin({
  id: 'connections',
  version: '1.0.0',
  name: 'connections.plugin.name',
  description: 'connections.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  dependsOn: ['profiles'],
  integrations: ['notifications', 'messages'],
  permissions: [{ id: USE, defaultRoles: ['member', 'moderator', 'admin'], description: 'connections.permission.use' }],
  routes: [...connectionsRoutes, ...connectionsApiRoutes],
  templates: ['directory', 'list', 'home', 'new-members', 'partials/person', 'partials/pager', 'partials/actions'],
  menus: [
    { menu: 'main', id: 'people', label: 'connections.menu.people', route: 'connections.directory', order: 30 },
    { menu: 'user', id: 'connections', label: 'connections.menu.connections', route: 'connections.home', order: 20 },
  ],
  hooks: [
    ...memberData,
    onFilter('profiles:sections', profileSection),
    // A block ends follows, the connection and pending requests, both ways.
    onEvent('people:blocked', ({ blockerId, blockedId }, rt) => rt.container.resolve(ConnectionsService).sever(blockerId, blockedId)),
    ...connectionsNotifications,
  ],
  migrations,
  seed: () => import('./seed'),
  i18n: 'i18n',
  services(container) {
    registerService(container, ConnectionsService);
  },
});
