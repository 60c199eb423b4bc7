/**
 * Messages: private conversations between members, as plain pages (no JavaScript
 * needed) — inbox, new conversation with a recipient search, reply, leave, read/unread,
 * archive, search, and blocks. The chat plugin makes the same conversations live.
 */
import { definePlugin, onFilter, registerService } from '../../core';
import { messageAttachmentParent } from './attachments';
import './hooks';
import type {} from '../notifications/hooks';
import { migrations } from './migrations';
import { messagePieces } from './pieces';
import { messagesRoutes, USE } from './routes';
import { messagesApiRoutes } from './api-routes';
import { MessagesService } from './service';
import { blockedLink, blockedNotification, blocksFilter, unreadIndicator } from './indicators';
import { personActions, profileActions } from './profile';
import { awayHooks, awayJob } from './away';
import type {} from '../profiles/hooks';
import { memberData } from './member-data';

export default definePlugin({
  id: 'messages',
  version: '1.0.0',
  name: 'messages.plugin.name',
  description: 'messages.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  integrations: ['groups', 'notifications', 'profiles'],
  pieces: [messagePieces],
  permissions: [{ id: USE, defaultRoles: ['member', 'moderator', 'admin'], description: 'messages.permission.use' }],
  settings: {
    ratePerMinute: { type: 'number', label: 'messages.settings.ratePerMinute', default: 60, min: 1, max: 6000, integer: true },
    awayEmailMinutes: { type: 'number', label: 'messages.settings.awayEmailMinutes', default: 10, min: 0, max: 1440, integer: true },
  },
  routes: [...messagesRoutes, ...messagesApiRoutes],
  templates: [
    'inbox',
    'conversation',
    'new',
    'search',
    'blocked',
    'partials/message',
    'partials/nav',
    'partials/row',
    'partials/head',
    'partials/reply',
    'partials/profile',
  ],
  menus: [{ menu: 'user', id: 'messages', label: 'messages.menu.messages', route: 'messages.inbox', order: 15 }],
  hooks: [
    ...memberData,
    onFilter('layout:indicators', unreadIndicator),
    // Files attached to a message are its conversation's (attachments.ts).
    onFilter('attachments:parent', messageAttachmentParent),
    onFilter('people:blocks', blocksFilter),
    // "Blocked members" on the account page.
    onFilter('account:links', blockedLink),
    // "Message" and blocking on every profile.
    onFilter('profiles:sections', profileActions),
    // "Message" beside people in the directory and other lists.
    onFilter('profiles:personActions', personActions),
    // The notifications plugin drops notifications from members the recipient blocks.
    onFilter('notifications:blocked', blockedNotification),
    // Unread messages reach members who are away by email.
    ...awayHooks,
  ],
  jobs: [awayJob],
  migrations,
  seed: () => import('./seed'),
  i18n: 'i18n',
  services(container) {
    registerService(container, MessagesService);
  },
});
