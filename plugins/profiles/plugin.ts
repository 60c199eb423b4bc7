/**
 * Member profiles: the profile page, the edit page with a photo, avatars (photo sizes or
 * initials), and admin-defined extra fields with a visibility level each.
 *
 * For other plugins: `api.ts` (field levels, the access shape of profile values), `avatar.ts`
 * (avatarUrl) and `hooks.ts` (the `profiles:sections` filter).
 */
import { definePlugin } from '../../core';
import './hooks';
import { migrations } from './migrations';
import { PROFILES_VIEW, profileRoutes } from './routes';

export default definePlugin({
  id: 'profiles',
  version: '1.0.0',
  name: 'profiles.plugin.name',
  description: 'profiles.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  dependsOn: ['admin'],
  permissions: [{ id: PROFILES_VIEW, defaultRoles: ['member', 'moderator', 'admin', 'guest'], description: 'profiles.permission.view' }],
  routes: profileRoutes,
  templates: ['profile', 'edit', 'fields', 'field-edit', 'partials/field-form'],
  menus: [
    { menu: 'user', id: 'profiles-edit', label: 'profiles.menu.edit', route: 'profiles.edit', order: 10 },
    { menu: 'admin', id: 'profiles-fields', label: 'profiles.menu.fields', route: 'profiles.fields', order: 40 },
  ],
  migrations,
  seed: () => import('./seed'),
  i18n: 'i18n',
});
