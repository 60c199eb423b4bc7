/**
 * Member profiles: the profile page, the edit page with a photo upload (the photo is core
 * data, served by the core's avatar route), and admin-defined extra fields with a
 * visibility level each. It answers `people:profileRoute`, so the core's person cards link
 * to profiles.
 *
 * For other plugins: `api.ts` (field levels, the access shape of profile values) and
 * `hooks.ts` (the `profiles:sections` and `profiles:headlines` filters).
 */
import { definePlugin, onEvent, onFilter, registerService } from '../../core';
import './hooks';
import { audienceHooks } from './audience';
import { peopleSearchHooks } from './people-search';
import { migrations } from './migrations';
import { PROFILES_VIEW, profileRoutes } from './routes';
import { ProfilesService } from './service';
import { memberData } from './member-data';

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
  hooks: [
    ...memberData,
    onFilter('people:profileRoute', () => 'profiles.view'),
    // Department and job title kept by the organisation's directory (core/auth/external-accounts.ts).
    onEvent('user:profileSynced', (e, rt) => rt.container.resolve(ProfilesService).syncFromDirectory(e.userId, e.fields)),
    onFilter(
      'profiles:headlines',
      async (value, c, rt) => new Map([...value, ...(await rt.container.resolve(ProfilesService).headlines(c.viewer, c.userIds))]),
    ),
    ...audienceHooks,
    ...peopleSearchHooks,
  ],
  migrations,
  seed: () => import('./seed'),
  i18n: 'i18n',
  services(container) {
    registerService(container, ProfilesService);
  },
});
