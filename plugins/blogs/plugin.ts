/**
 * Blogs: articles with a title, a Markdown body (rendered and sanitised on save), a cover
 * image, tags and an access level; drafts, publication now or at a date (the
 * `blogs.publish` job), edits kept as revisions, soft deletion. Lists per network, author
 * and container (group); the post page shows the panels other plugins add (comments,
 * likes); published posts appear in the activity feed (`activity:describe`).
 *
 * For other plugins: the `blogs:published` and `blogs:deleted` events (hooks.ts), the
 * `blog_post` entity type, and `/blogs/in/:containerId` for a group's blog.
 */
import { ACCESS_LEVELS, definePlugin, registerService, onFilter } from '../../core';
import type {} from '../activity/hooks';
import type {} from '../profiles/hooks';
import type {} from '../groups/hooks';
import './hooks';
import { describePosts, groupTab } from './describe';
import { migrations } from './migrations';
import { blogsNotifications } from './notifications';
import { profileSection } from './profile-section';
import { WRITE } from './params';
import { blogsRoutes } from './routes';
import { blogsApiRoutes } from './api';
import { BLOG_POST, BlogsService, PUBLISH_JOB } from './service';
import { blogSearch } from './search-text';
import { memberData } from './member-data';

export default definePlugin({
  id: 'blogs',
  version: '1.0.0',
  name: 'blogs.plugin.name',
  description: 'blogs.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  dependsOn: ['profiles'],
  integrations: ['activity', 'groups', 'connections', 'notifications'],
  entities: [{ type: BLOG_POST, viewRoute: 'blogs.view', accessLevels: ACCESS_LEVELS, traits: ['commentable', 'reactable'], search: blogSearch }],
  permissions: [{ id: WRITE, defaultRoles: ['member', 'moderator', 'admin'], description: 'blogs.permission.write' }],
  settings: {
    defaultAccess: {
      type: 'choice',
      label: 'blogs.settings.defaultAccess',
      default: 'members',
      choices: ['public', 'members', 'network', 'friends', 'private'],
    },
  },
  routes: [...blogsRoutes, ...blogsApiRoutes],
  templates: ['list', 'post', 'edit', 'revisions', 'partials/card', 'partials/summary', 'partials/profile-section', 'partials/post-article'],
  menus: [{ menu: 'main', id: 'blogs', label: 'blogs.menu.blogs', route: 'blogs.network', order: 40 }],
  hooks: [
    ...memberData,
    onFilter('activity:describe', describePosts),
    onFilter('profiles:sections', profileSection),
    onFilter('groups:tabs', groupTab),
    ...blogsNotifications,
  ],
  jobs: [
    {
      kind: PUBLISH_JOB,
      async handler(payload, rt, job) {
        await rt.container.resolve(BlogsService).publishDue(Number(payload.postId), job.now);
      },
    },
  ],
  migrations,
  seed: () => import('./seed'),
  i18n: 'i18n',
  services(container) {
    registerService(container, BlogsService);
  },
});
