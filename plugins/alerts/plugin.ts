/**
 * Urgent alerts: network admins and holders of `alerts.send` send an alert (information,
 * warning or emergency) to the network, one of its groups, or the members with a profile value
 * (everyone at the Lyon site), optionally asking for an answer ("I'm safe" / "I need help",
 * "Seen"). It reaches them on every channel at once: a banner on every page until acknowledged
 * (`layout:banners`, a form: no JavaScript needed), a live push to open pages (`/alerts/socket`),
 * the notification bell (the notifications plugin, where enabled) and an email sent at once
 * whatever the member's digest choices, each recipient's delivery recorded and failures retried.
 * The sender follows it live on its dashboard. An alert is an audit record: never edited, only
 * followed by updates and closed.
 */
import { definePlugin, onFilter, registerService, services, type HookRegistration } from '../../core';
import { PARTICIPATE, SEND, MAIL_JOB, BELL_JOB } from './constants';
import { alertsNotifications, bellJob, mailJob } from './delivery';
import { migrations } from './migrations';
import { AlertsHub, alertsSocket } from './realtime';
import { alertsRoutes } from './routes';
import { AlertsService } from './service';
import { banners } from './view';

const pageHooks: HookRegistration[] = [
  onFilter('layout:banners', async (list, view, rt) => {
    const viewer = view.viewer;
    if (!viewer || !rt.permissions.can(viewer, PARTICIPATE, view.networkId)) return list;
    const s = rt.container.resolve(AlertsService);
    // On an alert's own page its banner would say the same twice.
    const here = view.ctx.state.routeName === 'alerts.view' ? Number((view.ctx.params as { id?: string } | undefined)?.id) : 0;
    const pending = (await s.pending(viewer.id, view.networkId)).filter((p) => p.id !== here);
    if (!pending.length) return list;
    await s.markSeen(
      viewer.id,
      pending.filter((p) => p.seen_at === null).map((p) => p.id),
    );
    const tr = (key: string, params?: Record<string, unknown>) => rt.i18n.t(view.locale, key, params);
    return [...list, ...banners(rt, tr, pending, view.ctx.state.basePath ?? '', view.ctx.originalUrl)];
  }),
  onFilter('layout:scripts', (list, view, rt) => {
    const viewer = view.viewer;
    if (!viewer || !rt.permissions.can(viewer, PARTICIPATE, view.networkId)) return list;
    const base = view.ctx.state.basePath ?? '';
    const theme = rt.views.chain(view.ctx.state.network.theme);
    return [
      ...list,
      {
        src: rt.assets.url(theme, 'alerts:alerts.js'),
        data: { socket: `${base}/alerts/socket`, banners: rt.routes.build('alerts.banners', {}, base) },
      },
    ];
  }),
];

export default definePlugin({
  id: 'alerts',
  version: '1.0.0',
  name: 'alerts.plugin.name',
  description: 'alerts.plugin.description',
  core: '^1.0.0',
  defaultEnabled: false,
  integrations: ['notifications', 'profiles', 'groups'],
  permissions: [{ id: SEND, defaultRoles: ['admin'], description: 'alerts.permission.send' }],
  routes: alertsRoutes,
  sockets: [alertsSocket],
  templates: ['list', 'new', 'alert', 'dashboard', 'partials/banner', 'partials/banners', 'partials/live', 'mail/alert-html', 'mail/alert-text'],
  menus: [{ menu: 'user', id: 'alerts', label: 'alerts.menu', route: 'alerts.list', order: 45 }],
  hooks: [...pageHooks, ...alertsNotifications],
  jobs: [
    { kind: MAIL_JOB, handler: mailJob, maxAttempts: 6 },
    { kind: BELL_JOB, handler: bellJob, maxAttempts: 3 },
  ],
  migrations,
  i18n: 'i18n',
  services(container) {
    registerService(container, AlertsService);
    container.registerInstance(AlertsHub, new AlertsHub(services(container, ['db', 'logger', 'pubsub', 'scopes', 'users', 'permissions'])));
  },
});
