/**
 * Comments: one level of replies under any entity whose type is `commentable`; authors edit
 * and delete their own, moderators delete any. Shown under content through the
 * `entity:panels` filter (the count and latest comments in feeds, the whole thread on a
 * page), with a thread page of its own and a JSON API.
 */
import { definePlugin, onFilter, registerService } from '../../core';
import './hooks';
import { migrations } from './migrations';
import { commentsNotifications } from './notifications';
import { commentPieces } from './pieces';
import { commentsRoutes } from './routes';
import { commentAttachmentParent, CommentsService, DEFAULT_MAX_LENGTH, WRITE } from './service';
import { commentsSearch } from './search-text';
import { commentPanels } from './thread';
import { memberData } from './member-data';

export default definePlugin({
  id: 'comments',
  version: '1.0.0',
  name: 'comments.plugin.name',
  description: 'comments.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  dependsOn: ['profiles'],
  integrations: ['notifications'],
  searchAttached: [commentsSearch],
  pieces: [commentPieces],
  permissions: [{ id: WRITE, defaultRoles: ['member', 'moderator', 'admin'], description: 'comments.permission.write' }],
  settings: {
    maxLength: { type: 'number', label: 'comments.settings.maxLength', default: DEFAULT_MAX_LENGTH, min: 100, max: 10000, integer: true },
  },
  routes: commentsRoutes,
  templates: ['thread', 'edit', 'partials/panel', 'partials/comment'],
  hooks: [
    ...memberData,
    onFilter('entity:panels', async (panels, { ctx, entities, mode }) => [...panels, ...(await commentPanels(ctx, entities, mode))]),
    ...commentsNotifications,
    // Files attached to a comment are seen while it is there (core/content/attachments.ts).
    onFilter('attachments:parent', commentAttachmentParent),
  ],
  migrations,
  seed: () => import('./seed'),
  i18n: 'i18n',
  services(container) {
    registerService(container, CommentsService);
  },
});
