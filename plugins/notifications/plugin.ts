/**
 * Notifications: records what other plugins ask for (`notifications:notify`) and tells
 * members in the app (the header bell and a grouped page) and by email (immediately, or in
 * a daily or weekly digest at their local time). Each plugin declares its own kinds through
 * `notifications:kinds` (hooks.ts) and asks for notifications from its own listeners; this
 * plugin knows none of them.
 */
import { definePlugin, onFilter, registerService, type HeaderIndicator, type ViewContext } from '../../core';
import './hooks';
import { joinRequests } from './join-requests';
import { listeners } from './listeners';
import { DIGEST_JOB, Mailouts, SEND_JOB } from './mail';
import { migrations } from './migrations';
import { MANAGE, notificationsRoutes, USE } from './routes';
import { NotificationsService } from './service';
import { memberData } from './member-data';

/** The bell drawn in the header (SVG path data, 24×24). */
const BELL = 'M12 3a6 6 0 0 0-6 6v3.6L4.3 15.5A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.5L18 12.6V9a6 6 0 0 0-6-6Zm-2.5 15.5a2.5 2.5 0 0 0 5 0Z';

async function bell(list: HeaderIndicator[], view: ViewContext): Promise<HeaderIndicator[]> {
  const viewer = view.viewer;
  if (!viewer || !view.ctx.ruche.permissions.can(viewer, USE, view.networkId)) return list;
  const rt = view.ctx.ruche;
  const count = await rt.container.resolve(NotificationsService).unreadCount(viewer.id, view.networkId);
  const label = rt.i18n.t(view.locale, 'notifications.bell.label', { count });
  return [
    ...list,
    { id: 'notifications', icon: BELL, label, href: rt.routes.build('notifications.list', {}, view.ctx.state.basePath), count, order: 10 },
  ];
}

export default definePlugin({
  id: 'notifications',
  version: '1.0.0',
  name: 'notifications.plugin.name',
  description: 'notifications.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  dependsOn: ['activity'],
  permissions: [
    { id: USE, defaultRoles: ['member', 'moderator', 'admin'], description: 'notifications.permission.use' },
    { id: MANAGE, defaultRoles: ['admin'], description: 'notifications.permission.manage' },
  ],
  settings: {
    digestHour: { type: 'number', label: 'notifications.settings.digestHour', default: 8, min: 0, max: 23, integer: true },
    timezone: { type: 'string', label: 'notifications.settings.timezone', default: 'UTC', maxLength: 64 },
  },
  routes: notificationsRoutes,
  templates: [
    'list',
    'settings',
    'defaults',
    'unsubscribe',
    'partials/frequencies',
    'mail/notification-html',
    'mail/notification-text',
    'mail/digest-html',
    'mail/digest-text',
  ],
  menus: [
    { menu: 'user', id: 'notifications', label: 'notifications.menu.settings', route: 'notifications.settings', order: 40 },
    { menu: 'admin', id: 'notifications', label: 'notifications.menu.defaults', route: 'notifications.defaults', order: 60 },
  ],
  hooks: [...memberData, onFilter('layout:indicators', bell), ...listeners, ...joinRequests],
  jobs: [
    { kind: SEND_JOB, handler: (payload, rt, job) => rt.container.resolve(Mailouts).sendGroup(payload, job), maxAttempts: 8 },
    { kind: DIGEST_JOB, handler: (payload, rt, job) => rt.container.resolve(Mailouts).digest(payload, job), maxAttempts: 8 },
  ],
  migrations,
  i18n: 'i18n',
  services(container) {
    registerService(container, NotificationsService);
    registerService(container, Mailouts);
  },
});
