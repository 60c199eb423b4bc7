/**
 * Likes: likes and emoji reactions (a small catalogue, the enabled subset chosen by admins)
 * on any visible entity whose type is `reactable`; one reaction per member, counts kept
 * exact, a who-reacted page, panels under content (`entity:panels`) and a JSON API.
 */
import { definePlugin, onFilter, registerService } from '../../core';
import './hooks';
import { migrations } from './migrations';
import { likesNotifications } from './notifications';
import { likePanels } from './panels';
import { reactionSettings } from './reactions';
import { likesRoutes } from './routes';
import { LikesService, REACT } from './service';
import { memberData } from './member-data';

export default definePlugin({
  id: 'likes',
  version: '1.0.0',
  name: 'likes.plugin.name',
  description: 'likes.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  dependsOn: ['profiles'],
  integrations: ['notifications'],
  permissions: [{ id: REACT, defaultRoles: ['member', 'moderator', 'admin'], description: 'likes.permission.react' }],
  settings: reactionSettings,
  routes: likesRoutes,
  templates: ['who', 'partials/panel'],
  hooks: [
    ...memberData,
    onFilter('entity:panels', async (panels, { ctx, entities, mode }) => [...panels, ...(await likePanels(ctx, entities, mode))]),
    ...likesNotifications,
  ],
  migrations,
  seed: () => import('./seed'),
  i18n: 'i18n',
  services(container) {
    registerService(container, LikesService);
  },
});
