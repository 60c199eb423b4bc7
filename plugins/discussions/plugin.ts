/**
 * Discussions: topics in the network or in a group (title, Markdown body, tags), flat
 * paginated replies with quoting, an accepted answer (Q&A), lock, pin and move (moderators),
 * subscriptions with the `discussions:replied` event for notifications, edit history, topic
 * lists by last activity with per-member unread markers and an "unanswered" filter, soft
 * deletion, a JSON API. Topics appear in the activity feed (`activity:describe`) and carry
 * reactions (likes panels); a group page gets a Discussions tab (`groups:tabs`).
 *
 * For other plugins: the `discussions:started`, `discussions:replied` and
 * `discussions:answered` events (hooks.ts), the `topic` entity type, and
 * `/discussions/in/:containerId` for a group's topics.
 */
import { definePlugin, registerService, onFilter } from '../../core';
import type {} from '../activity/hooks';
import type {} from '../groups/hooks';
import './hooks';
import { describeTopics, groupTab } from './describe';
import { migrations } from './migrations';
import { discussionsNotifications } from './notifications';
import { WRITE } from './params';
import { RepliesService, replyAttachmentParent } from './replies';
import { replyPieces } from './pieces';
import { discussionsRoutes } from './routes';
import { PAGE_SIZE, TOPIC, TopicsService } from './service';
import { topicSearch } from './search-text';
import { memberData } from './member-data';

export default definePlugin({
  id: 'discussions',
  version: '1.0.0',
  name: 'discussions.plugin.name',
  description: 'discussions.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  dependsOn: ['profiles'],
  integrations: ['activity', 'groups', 'notifications'],
  entities: [
    {
      type: TOPIC,
      viewRoute: 'discussions.view',
      accessLevels: ['group', 'network', 'members', 'public'],
      traits: ['reactable', 'pollable'],
      search: topicSearch,
    },
  ],
  pieces: [replyPieces],
  permissions: [{ id: WRITE, defaultRoles: ['member', 'moderator', 'admin'], description: 'discussions.permission.write' }],
  settings: {
    defaultAccess: { type: 'choice', label: 'discussions.settings.defaultAccess', default: 'members', choices: ['public', 'members', 'network'] },
    repliesPerPage: { type: 'number', label: 'discussions.settings.repliesPerPage', default: PAGE_SIZE, min: 5, max: 100, integer: true },
  },
  routes: discussionsRoutes,
  templates: ['list', 'topic', 'search', 'edit', 'reply-edit', 'move', 'revisions', 'partials/row', 'partials/reply', 'partials/summary'],
  menus: [{ menu: 'main', id: 'discussions', label: 'discussions.menu.discussions', route: 'discussions.network', order: 45 }],
  hooks: [
    ...memberData,
    onFilter('activity:describe', describeTopics),
    onFilter('groups:tabs', groupTab),
    ...discussionsNotifications,
    // Files attached to a reply follow its topic while the reply is there (replies.ts).
    onFilter('attachments:parent', replyAttachmentParent),
  ],
  migrations,
  seed: () => import('./seed'),
  i18n: 'i18n',
  services(container) {
    registerService(container, TopicsService);
    registerService(container, RepliesService);
  },
});
