/**
 * Groups: open, closed and secret groups of members (an entity of type `group` plus the
 * `groups` table; membership is the core's `container_members`), their directory, "my
 * groups" with invitations and requests, the group page (header, tabs from other plugins,
 * the group's activity feed and a composer), the member list with the group admins' tools,
 * and the create/edit form with a cover image.
 *
 * For other plugins (hooks.ts, api.ts): `groupFor`, `groupHeader` with the
 * `groups/partials/header` partial, the `groups:tabs` filter and the `groups:*` events.
 */
import { definePlugin, onEvent, onFilter, registerService } from '../../core';
import type {} from '../activity/hooks';
import './hooks';
import { describeGroups, mentionGroups } from './describe';
import { clampPosted, groupPolicy } from './guards';
import { groupIntegrations } from './integrations';
import { migrations } from './migrations';
import { groupsNotifications } from './notifications';
import { CREATE, USE } from './params';
import { groupApiRoutes } from './api-routes';
import { groupsRoutes } from './routes';
import { GROUP, GroupsService } from './service';
import { groupSearch } from './search-text';
import { memberData } from './member-data';
import { groupsWebhooks } from './webhooks';

export default definePlugin({
  id: 'groups',
  version: '1.0.0',
  name: 'groups.plugin.name',
  description: 'groups.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  dependsOn: ['activity'],
  integrations: ['notifications'],
  entities: [{ type: GROUP, viewRoute: 'groups.view', accessLevels: ['group', 'network'], search: groupSearch }],
  permissions: [
    { id: USE, defaultRoles: ['member', 'moderator', 'admin'], description: 'groups.permission.use' },
    { id: CREATE, defaultRoles: ['member', 'moderator', 'admin'], description: 'groups.permission.create' },
  ],
  routes: [...groupsRoutes, ...groupApiRoutes],
  templates: [
    'directory',
    'mine',
    'group',
    'members',
    'edit',
    'partials/header',
    'partials/card',
    'partials/cards',
    'partials/summary',
    'partials/pager',
  ],
  menus: [
    { menu: 'main', id: 'groups', label: 'groups.menu.groups', route: 'groups.directory', order: 35 },
    { menu: 'user', id: 'mygroups', label: 'groups.menu.mine', route: 'groups.mine', order: 25 },
  ],
  hooks: [
    ...memberData,
    onFilter('activity:describe', describeGroups),
    onFilter('content:mentionGroups', mentionGroups),
    onFilter('container:policy', groupPolicy),
    onEvent('activity:posted', clampPosted),
    ...groupsNotifications,
    ...groupIntegrations,
  ],
  webhooks: groupsWebhooks,
  migrations,
  seed: () => import('./seed'),
  i18n: 'i18n',
  services(container) {
    registerService(container, GroupsService);
  },
});
