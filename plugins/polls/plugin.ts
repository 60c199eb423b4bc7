/**
 * Polls: a question with options, standing in the network or a group, or attached to any
 * entity whose type declares the `pollable` trait (a status post, a discussion topic), shown
 * under it through `entity:panels`. Single or multiple choice, an optional "other" answer, a
 * closing date, results always / after voting / after closing as bars (no JavaScript), a
 * named ballot changed until closing, or an anonymous one kept apart from who voted; CSV export
 * for the poll's managers. A group page gets a Polls tab (`groups:tabs`).
 *
 * The idea box (ideas-*.ts): per network or group, ideas voted up (or up and down) with an
 * optional budget of votes, commented (`commentable`), given a status and a reply by managers;
 * authors and voters are told when the status changes (`polls.ideaStatus`).
 */
import { definePlugin, onFilter, registerService } from '../../core';
import type {} from '../groups/hooks';
import type {} from '../activity/hooks';
import { IDEA, IdeasService } from './ideas-service';
import { ideasRoutes } from './ideas-routes';
import { migrations } from './migrations';
import { pollsNotifications } from './notifications';
import { composerAction, groupTabs, pollPanels } from './panels';
import { pollsRoutes } from './routes';
import { CREATE, POLL, PollsService, VOTE } from './service';
import { memberData } from './member-data';

export default definePlugin({
  id: 'polls',
  version: '1.0.0',
  name: 'polls.plugin.name',
  description: 'polls.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  integrations: ['activity', 'groups', 'notifications'],
  entities: [
    { type: POLL, viewRoute: 'polls.view', accessLevels: ['private', 'group', 'network', 'members', 'public'] },
    { type: IDEA, viewRoute: 'polls.idea.view', accessLevels: ['group', 'network', 'members', 'public'], traits: ['commentable', 'reactable'] },
  ],
  permissions: [
    { id: CREATE, defaultRoles: ['member', 'moderator', 'admin'], description: 'polls.permission.create' },
    { id: VOTE, defaultRoles: ['member', 'moderator', 'admin'], description: 'polls.permission.vote' },
  ],
  settings: {
    ideaVoting: { type: 'choice', label: 'polls.settings.ideaVoting.label', default: 'up', choices: ['up', 'updown'] },
    ideaBudget: { type: 'number', label: 'polls.settings.ideaBudget', default: 0, min: 0, max: 100, integer: true },
  },
  routes: [...pollsRoutes, ...ideasRoutes],
  templates: ['new', 'poll', 'list', 'ideas', 'idea', 'idea-new', 'partials/poll', 'partials/bar', 'partials/add', 'partials/idea-vote'],
  menus: [
    { menu: 'main', id: 'polls', label: 'polls.menu', route: 'polls.network', order: 47 },
    { menu: 'main', id: 'ideas', label: 'polls.ideas.menu', route: 'polls.ideas', order: 48 },
  ],
  hooks: [
    ...memberData,
    onFilter('entity:panels', async (panels, { ctx, entities, mode }) => [...panels, ...(await pollPanels(ctx, entities, mode))]),
    onFilter('groups:tabs', groupTabs),
    onFilter('activity:composerActions', composerAction),
    ...pollsNotifications,
  ],
  migrations,
  i18n: 'i18n',
  services(container) {
    registerService(container, PollsService);
    registerService(container, IdeasService);
  },
});
