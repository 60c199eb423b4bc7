/**
 * Events: a title, a Markdown description, a start and an end (or whole days) in the
 * organiser's zone, a place or an online link, a cover, organisers, an access level and a
 * container (a group) or the network. Members answer going / maybe / not going; a capacity
 * fills a waiting list that moves up by itself. Upcoming and past lists, a month calendar, a
 * group's events, "my events"; iCalendar downloads, personal subscription links and a guest
 * feed; reminders a day and an hour before; changes and cancellations told to who answered.
 *
 * For other plugins: the events in hooks.ts, the `event` entity type, `/events/in/:containerId`.
 */
import { ACCESS_LEVELS, definePlugin, link, onFilter, registerService, t } from '../../core';
import type {} from '../activity/hooks';
import type {} from '../groups/hooks';
import './hooks';
import { describeEvents, groupTab } from './describe';
import { migrations } from './migrations';
import { eventsNotifications, remind } from './notifications';
import { attendeesForOrganiser, WRITE } from './params';
import { eventsRoutes } from './routes';
import { QuestionsService } from './questions';
import { RsvpService } from './rsvp';
import { EVENT, REMIND_JOB } from './model';
import { EventsService } from './service';
import { CalendarSubscriptions } from './subscriptions';
import { memberData } from './member-data';

export default definePlugin({
  id: 'events',
  version: '1.0.0',
  name: 'events.plugin.name',
  description: 'events.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  dependsOn: ['profiles'],
  integrations: ['activity', 'groups', 'notifications'],
  entities: [{ type: EVENT, viewRoute: 'events.view', accessLevels: ACCESS_LEVELS, traits: ['commentable', 'reactable'] }],
  permissions: [{ id: WRITE, defaultRoles: ['member', 'moderator', 'admin'], description: 'events.permission.write' }],
  settings: {
    defaultAccess: {
      type: 'choice',
      label: 'events.settings.defaultAccess',
      default: 'members',
      choices: ['public', 'members', 'network', 'friends', 'private'],
    },
  },
  routes: eventsRoutes,
  templates: ['list', 'event', 'edit', 'calendar', 'partials/card', 'partials/summary'],
  menus: [{ menu: 'main', id: 'events', label: 'events.menu.events', route: 'events.network', order: 45 }],
  hooks: [
    ...memberData,
    onFilter('activity:describe', describeEvents),
    onFilter('groups:tabs', groupTab),
    onFilter('events:attendeesForOrganiser', attendeesForOrganiser),
    // The calendar link is managed from "My events"; the account page points there.
    onFilter('account:links', (links, { ctx, viewer }) =>
      viewer
        ? [
            ...links,
            {
              id: 'events.calendar',
              label: t(ctx, 'events.account.label'),
              hint: t(ctx, 'events.account.hint'),
              href: `${link(ctx, 'events.mine')}#calendar-link`,
              order: 60,
            },
          ]
        : links,
    ),
    ...eventsNotifications,
  ],
  jobs: [
    {
      kind: REMIND_JOB,
      async handler(payload, rt) {
        await remind(rt, payload);
      },
    },
  ],
  migrations,
  i18n: 'i18n',
  services(container) {
    registerService(container, EventsService);
    registerService(container, RsvpService);
    registerService(container, QuestionsService);
    registerService(container, CalendarSubscriptions);
  },
});
