/**
 * Polls: a question with options, standing in the network or a group, or attached to any
 * entity whose type declares the `pollable` trait (a status post, a discussion topic), shown
 * under it through `entity:panels`. Single or multiple choice, an optional "other" answer, a
 * closing date, results always / after voting / after closing as bars (no JavaScript), a
 * named ballot changed until closing, or an anonymous one kept apart from who voted; CSV export
 * for the poll's managers. A group page gets a Polls tab (`groups:tabs`).
 */
import { definePlugin, onFilter, registerService } from '../../core';
import type {} from '../groups/hooks';
import { migrations } from './migrations';
import { groupTab, pollPanels } from './panels';
import { pollsRoutes } from './routes';
import { CREATE, POLL, PollsService, VOTE } from './service';

export default definePlugin({
  id: 'polls',
  version: '1.0.0',
  name: 'polls.plugin.name',
  description: 'polls.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  integrations: ['groups'],
  entities: [{ type: POLL, viewRoute: 'polls.view', accessLevels: ['private', 'group', 'network', 'members', 'public'] }],
  permissions: [
    { id: CREATE, defaultRoles: ['member', 'moderator', 'admin'], description: 'polls.permission.create' },
    { id: VOTE, defaultRoles: ['member', 'moderator', 'admin'], description: 'polls.permission.vote' },
  ],
  routes: pollsRoutes,
  templates: ['new', 'poll', 'list', 'partials/poll', 'partials/bar', 'partials/add'],
  menus: [{ menu: 'main', id: 'polls', label: 'polls.menu', route: 'polls.network', order: 47, guests: true }],
  hooks: [
    onFilter('entity:panels', async (panels, { ctx, entities, mode }) => [...panels, ...(await pollPanels(ctx, entities, mode))]),
    onFilter('groups:tabs', groupTab),
  ],
  migrations,
  i18n: 'i18n',
  services(container) {
    registerService(container, PollsService);
  },
});
