/**
 * Connect in person: every member shows a code (a QR and a short code to read aloud) from the
 * menu; another member scans it (the phone's camera opens its address) or types it, and asks
 * to connect with a "met at" note — connected at once when the first had opened theirs (a
 * mutual scan). Codes rotate daily or on demand and expire; a member can turn the feature off;
 * blocks and network membership hold. "People I met" lists the in-person connections. With the
 * events plugin, an event's organisers print name badges with each attendee's QR.
 */
import { definePlugin, onEvent, onFilter, registerService } from '../../core';
import type {} from '../connections/hooks';
import { badgeActions } from './badges';
import { memberData } from './member-data';
import { migrations } from './migrations';
import { connectRoutes, USE } from './routes';
import { ConnectService } from './service';

export default definePlugin({
  id: 'connect',
  version: '1.0.0',
  name: 'connect.plugin.name',
  description: 'connect.plugin.description',
  core: '^1.0.0',
  defaultEnabled: false,
  dependsOn: ['connections'],
  // Printable name badges for an event's organisers (badges.ts), where the events plugin is on.
  integrations: ['events'],
  permissions: [{ id: USE, defaultRoles: ['member', 'moderator', 'admin'], description: 'connect.permission.use' }],
  routes: connectRoutes,
  templates: ['home', 'open', 'met', 'badges'],
  menus: [{ menu: 'user', id: 'connect', label: 'connect.menu', route: 'connect.home', order: 21 }],
  hooks: [
    ...memberData,
    // The limit on guessing codes counts the failures every process sees.
    onEvent('app:ready', (_payload, rt) => rt.container.resolve(ConnectService).shareGuesses()),
    onFilter('entity:actions', badgeActions),
    onEvent('connections:accepted', ({ networkId, fromId, toId }, rt) => rt.container.resolve(ConnectService).recordMeeting(networkId, fromId, toId)),
    onEvent('people:blocked', ({ blockerId, blockedId }, rt) => rt.container.resolve(ConnectService).forget(blockerId, blockedId)),
  ],
  migrations,
  i18n: 'i18n',
  services(container) {
    registerService(container, ConnectService);
  },
});
