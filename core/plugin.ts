/**
 * The core as a plugin: its own routes, permissions, menus, templates, translations and
 * migrations, declared with the same `definePlugin` as every plugin and wired by the same
 * installers (core/plugins/installers.ts), first. It is always enabled.
 */
import path from 'node:path';
import { CORE_ID, definePlugin } from './plugins/manifest';
export { CORE_ID };
import type { LoadedPlugin } from './plugins/loader';
import type { MigrationOwner } from './db/migrator';
import { CORE_API_VERSION } from './version';
import { coreRoutes } from './routes';
import { coreMigrations } from './db/migrations';
import { CORE_PERMISSIONS } from './auth/permissions';
import { mayInvite } from './auth/registration';
import { housekeepingJob } from './jobs/housekeeping';
import { scheduledBackupJob } from './backup/scheduled';
import { memberDataJobs } from './members/jobs';
import { webhookJobs } from './webhooks/jobs';
import { coreWebhookEvents } from './webhooks/core-events';

export const corePlugin = definePlugin({
  id: CORE_ID,
  version: CORE_API_VERSION,
  name: 'core.plugin.name',
  description: 'core.plugin.description',
  core: `^${CORE_API_VERSION}`,
  permissions: CORE_PERMISSIONS,
  routes: coreRoutes,
  menus: [
    {
      menu: 'user',
      id: 'invite',
      label: 'core.invite.menu',
      route: 'core.invitations',
      capability: 'core.invite',
      order: 80,
      visible: (ctx) => mayInvite(ctx.ruche.permissions, ctx.state.viewer ?? null, ctx.state.network ?? ctx.ruche.networks.root()),
    },
    { menu: 'user', id: 'account', label: 'core.account.menu', route: 'core.account', capability: 'core.participate', order: 90 },
    { menu: 'admin', id: 'requests', label: 'core.requests.menu', route: 'core.requests', capability: 'core.admin', order: 60 },
    { menu: 'admin', id: 'charter', label: 'core.charter.menu', route: 'core.charter.edit', capability: 'core.admin', order: 70 },
    { menu: 'admin', id: 'delete-member', label: 'core.deleteMember.menu', route: 'core.deleteMember', capability: 'core.admin', order: 90 },
    { menu: 'admin', id: 'webhooks', label: 'core.webhooks.menu', route: 'core.webhooks', capability: 'core.admin', order: 93 },
    { menu: 'admin', id: 'audit', label: 'core.audit.menu', route: 'core.audit', capability: 'core.admin', order: 95 },
  ],
  templatesDir: 'views/templates',
  templates: [
    'account/index',
    'account/delete',
    'account/data',
    'account/sessions',
    'account/tokens',
    'api-reference',
    'audit',
    'webhooks',
    'webhook',
    'admin-delete-member',
    'charter',
    'charter-edit',
    'error',
    'home',
    'invite',
    'login',
    'sign-in-failure',
    'signing-out',
    'mail/account-exists.html',
    'mail/account-exists.text',
    'mail/approved.html',
    'mail/approved.text',
    'mail/request-pending.html',
    'mail/request-pending.text',
    'mail/change-email.html',
    'mail/change-email.text',
    'mail/data-export.html',
    'mail/data-export.text',
    'mail/invitation.html',
    'mail/invitation.text',
    'mail/layout.html',
    'mail/reset-password.html',
    'mail/reset-password.text',
    'mail/verify-email.html',
    'mail/verify-email.text',
    'notice',
    'outsider',
    'partials/admin-nav',
    'partials/api-token-created',
    'partials/api-token-list',
    'partials/bot-badge',
    'partials/attachments',
    'partials/attachments-field',
    'partials/deletion-modes',
    'partials/entity-actions',
    'partials/entity-panels',
    'partials/field',
    'partials/mark',
    'partials/select',
    'password-forgot',
    'password-reset',
    'register',
    'requests',
    'setup',
    'setup-pending',
  ],
  i18n: 'i18n',
  migrations: [...coreMigrations],
  jobs: [housekeepingJob, scheduledBackupJob, ...memberDataJobs, ...webhookJobs],
  webhooks: coreWebhookEvents,
});

/** The core's manifest as a loaded plugin of the app at `appRoot` (its folder holds views/templates/ and i18n/). */
export function loadedCore(appRoot: string): LoadedPlugin {
  return { manifest: corePlugin, dir: path.join(appRoot, 'core'), entry: path.join(appRoot, 'dist', 'core', 'plugin.js'), source: 'local' };
}

/** The core's migrations as the migrator's first owner. */
export const coreMigrationOwner: MigrationOwner = { id: CORE_ID, migrations: coreMigrations };
