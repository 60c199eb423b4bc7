/**
 * Activity: the river (home feed, network feed, profile feeds, tag pages, Atom for public
 * content), status posts with @mentions and #hashtags, hashtag follows, and announcements
 * pinned by moderators. Other plugins record acts with `rt.activity.record` and describe
 * their entities through `activity:describe` (hooks.ts).
 */
import { ACCESS_LEVELS, definePlugin, registerService, onEvent, onFilter } from '../../core';
import type {} from '../profiles/hooks';
import type {} from '../connections/hooks';
import './hooks';
import { migrations } from './migrations';
import { activityNotifications } from './notifications';
import { activityRoutes } from './routes';
import { atomRoutes } from './atom';
import { statusApiRoutes } from './status-api';
import { ANNOUNCE, POST } from './params';
import { describeOwn, CONNECTION, MEMBERSHIP } from './describe';
import { homeSection, profileSection, recordConnected, recordJoined } from './sections';
import { STATUS, StatusService } from './service';
import { statusSearch } from './search-text';
import { memberData } from './member-data';
import { activityWebhooks } from './webhooks';

export default definePlugin({
  id: 'activity',
  version: '1.0.0',
  name: 'activity.plugin.name',
  description: 'activity.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  dependsOn: ['connections'],
  integrations: ['messages', 'notifications'],
  entities: [
    {
      type: STATUS,
      viewRoute: 'activity.status.view',
      accessLevels: ACCESS_LEVELS,
      traits: ['commentable', 'reactable', 'pollable'],
      search: statusSearch,
    },
    { type: MEMBERSHIP, accessLevels: ['network'], traits: ['reactable'] },
    { type: CONNECTION, accessLevels: ['members'], traits: ['reactable'] },
  ],
  permissions: [
    { id: POST, defaultRoles: ['member', 'moderator', 'admin'], description: 'activity.permission.post' },
    { id: ANNOUNCE, defaultRoles: ['moderator', 'admin'], description: 'activity.permission.announce' },
  ],
  settings: {
    defaultAccess: {
      type: 'choice',
      label: 'activity.settings.defaultAccess',
      default: 'members',
      choices: ['public', 'members', 'network', 'friends', 'private'],
    },
    maxLength: { type: 'number', label: 'activity.settings.maxLength', default: 1000, min: 100, max: 10000, integer: true },
  },
  routes: [...activityRoutes, ...atomRoutes, ...statusApiRoutes],
  templates: [
    'home',
    'network',
    'status',
    'edit',
    'compose',
    'tag',
    'profile',
    'partials/feed',
    'partials/entry',
    'partials/cards',
    'partials/card-list',
    'partials/status',
    'partials/event',
    'partials/composer',
    'partials/profile-section',
  ],
  menus: [{ menu: 'main', id: 'activity', label: 'activity.menu.activity', route: 'activity.network', capability: POST, order: 10 }],
  hooks: [
    ...memberData,
    onFilter('activity:describe', describeOwn),
    onFilter('home:sections', homeSection),
    onFilter('tags:route', () => 'activity.tag'),
    onFilter('profiles:sections', profileSection),
    onEvent('user:created', recordJoined),
    onEvent('connections:accepted', recordConnected),
    ...activityNotifications,
  ],
  webhooks: activityWebhooks,
  migrations,
  seed: () => import('./seed'),
  i18n: 'i18n',
  services(container) {
    registerService(container, StatusService);
  },
});
