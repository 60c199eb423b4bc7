/**
 * Analytics: adoption measured without tracking anyone. Page views are counted as one row per
 * member, network and day (the core's `page:viewed` event); a job rolls them and the core's
 * activity rows up into daily figures; network admins (and group admins, for their group)
 * read the Givaudan funnel, DAU/WAU/MAU, activity per day, top groups and contents, and
 * the response time of discussions over a period compared with the previous one, as charts,
 * tables and CSV. Members see by name only where the network's settings allow it.
 */
import { definePlugin, link, onEvent, onFilter, registerService, t } from '../../core';
import type {} from '../groups/hooks';
import { ViewCounter } from './counting';
import { eraseMember } from './erasure';
import { migrations } from './migrations';
import { rollupAll } from './rollup';
import { analyticsRoutes, VIEW } from './routes';
import { AnalyticsService } from './service';
import { DashboardWarmer } from './warm';

export const ROLLUP_JOB = 'analytics.rollup';
export const ROLLUP_EVERY_MS = 10 * 60_000;

export default definePlugin({
  id: 'analytics',
  version: '1.0.0',
  name: 'analytics.plugin.name',
  description: 'analytics.plugin.description',
  core: '^1.0.0',
  // Measuring is the network admins' choice: nothing is counted until they enable it.
  defaultEnabled: false,
  // Groups: a tab on each group; profiles: members by a choice field of the profile (adoption by site).
  integrations: ['groups', 'profiles'],
  permissions: [{ id: VIEW, defaultRoles: ['admin'], description: 'analytics.permission.view' }],
  settings: {
    memberLevel: { type: 'boolean', default: false, label: 'analytics.settings.memberLevel' },
  },
  routes: analyticsRoutes,
  templates: ['dashboard', 'group', 'privacy', 'partials/report', 'partials/day-chart'],
  menus: [{ menu: 'admin', id: 'analytics', label: 'analytics.menu.admin', route: 'analytics.dashboard', order: 40 }],
  hooks: [
    // The first view after the process starts is computed in the background, not by a member (warm.ts).
    onEvent('app:ready', (_payload, rt) => rt.container.resolve(DashboardWarmer).atStart(rt)),
    onEvent('app:closing', (_payload, rt) => rt.container.resolve(DashboardWarmer).stop()),
    onEvent('page:viewed', async (view, rt) => {
      await rt.container.resolve(ViewCounter).count(view);
    }),
    onFilter('groups:tabs', (tabs, { ctx, group, viewer, networkId }) =>
      group.role === 'admin' || ctx.ruche.permissions.can(viewer, VIEW, networkId)
        ? [...tabs, { id: 'analytics', label: t(ctx, 'analytics.group.tab'), href: link(ctx, 'analytics.group', { id: group.id }), order: 90 }]
        : tabs,
    ),
    // A member's erasure: their rows and the figures kept from them go at once (erasure.ts).
    onFilter('member:erasing', eraseMember),
    onFilter('account:links', (links, { ctx }) => [
      ...links,
      {
        id: 'analytics.privacy',
        label: t(ctx, 'analytics.privacy.title'),
        hint: t(ctx, 'analytics.privacy.accountHint'),
        href: link(ctx, 'analytics.privacy'),
        order: 60,
      },
    ]),
  ],
  jobs: [
    {
      kind: ROLLUP_JOB,
      everyMs: ROLLUP_EVERY_MS,
      async handler(_payload, rt, job) {
        await rollupAll(rt, job.now);
        // The run changed the kept figures' key: the next views are computed now, not by a member (warm.ts).
        rt.container.resolve(DashboardWarmer).soon(rt);
      },
    },
  ],
  migrations,
  seed: () => import('./seed'),
  i18n: 'i18n',
  services(container) {
    registerService(container, ViewCounter);
    registerService(container, AnalyticsService);
    registerService(container, DashboardWarmer);
  },
});
