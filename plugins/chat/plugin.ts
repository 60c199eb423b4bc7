/**
 * Chat: the messages plugin's conversations, live. One-to-one and group conversations,
 * a room per group (its members only, checked at every delivery) and per network; new
 * messages, edits, typing and presence over a WebSocket on the same server
 * (`/chat/socket`, authenticated by the session cookie), resumable from the last `seq`.
 */
import { definePlugin, onEvent, services } from '../../core';
import { chatRoutes } from './routes';
import { ChatHub } from './hub';
import { chatSocket, USE } from './socket';
import { migrations } from './migrations';
import { memberData } from './member-data';

export default definePlugin({
  id: 'chat',
  version: '1.0.0',
  name: 'chat.plugin.name',
  description: 'chat.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  dependsOn: ['messages'],
  integrations: ['groups'],
  permissions: [{ id: USE, defaultRoles: ['member', 'moderator', 'admin'], description: 'chat.permission.use' }],
  settings: {
    networkRooms: { type: 'boolean', label: 'chat.settings.networkRooms', default: true },
  },
  migrations,
  routes: chatRoutes,
  // Closing: the sockets' last writes (presence, rounds) end before the database closes (hub.ts `close`).
  hooks: [...memberData, onEvent('app:closing', (_payload, rt) => rt.container.resolve(ChatHub).close())],
  sockets: [chatSocket],
  templates: ['home', 'conversation', 'room'],
  menus: [{ menu: 'main', id: 'chat', label: 'chat.menu.chat', route: 'chat.home', order: 60 }],
  i18n: 'i18n',
  services(container) {
    container.registerInstance(ChatHub, new ChatHub(services(container, ['access', 'container', 'containers', 'db', 'logger', 'pubsub', 'users'])));
  },
});
