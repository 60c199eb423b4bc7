/**
 * The events plugin's notification kinds and the listeners that ask for them: a place freed
 * for a member on the waiting list, a change of time or place, a cancellation (to everyone
 * who answered going, maybe or waiting), and the reminders a day and an hour before (the
 * `events.remind` job). The notifications plugin sends each by email per the member's
 * settings for its kind, and drops it for whoever may no longer see the event.
 */
import { onEvent, onFilter, visibleEntityHref, type HookRegistration, type Runtime } from '../../core';
import type { NotificationKind } from '../notifications/hooks';
import { RsvpService } from './rsvp';
import type { Reminder } from './model';
import { EventsService } from './service';
import './hooks';

/** The event's title, date and place, for the email. */
const excerpt: NotificationKind['excerpt'] = async (rt, n) => {
  const row = n.entityId ? await rt.db('events').where({ entity_id: n.entityId }).first('title', 'place', 'starts_at', 'time_zone') : undefined;
  if (!row) return null;
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: row.time_zone }).format(
    new Date(Number(row.starts_at)),
  );
  return [row.title, `${when} (${row.time_zone})`, row.place].filter(Boolean).join('\n');
};

/** The event's page when the recipient may still see it, and its title for the sentence. */
const resolve: NotificationKind['resolve'] = async (rt, n, recipient, basePath) => {
  const href = await visibleEntityHref(rt, n.entityId, recipient, basePath);
  if (!href) return null;
  const row = await rt.db('events').where({ entity_id: n.entityId }).first('title');
  return { href, values: { title: String(row?.title ?? '') } };
};

const kinds: NotificationKind[] = ['promoted', 'changed', 'cancelled', 'reminderDay', 'reminderHour'].map((what) => ({
  id: `events.${what}`,
  defaultFrequency: 'immediately',
  excerpt,
  resolve,
}));

async function tellAnswered(rt: Runtime, networkId: number, entityId: number, kind: string, actorId: number | null): Promise<void> {
  const userIds = await rt.container.resolve(RsvpService).answeredIds(entityId);
  if (userIds.length)
    await rt.hooks.emit('notifications:notify', { networkId, kind, userIds, actorId, entityId, groupKey: `${kind}:${entityId}:${Date.now()}` });
}

/**
 * The `events.remind` job: reminds those who answered, if the event still starts when the job
 * was planned for. Each member is claimed first (a row of `event_reminders_sent` per event,
 * start, member and kind, `insert … on conflict do nothing`): a job run twice (two processes
 * after a lease ran out, a retry after a failure part-way) reminds only the members no run has
 * claimed yet. A member claimed by a run that then died is not reminded: at most once.
 */
export async function remind(rt: Runtime, payload: Record<string, unknown>): Promise<void> {
  const ev = await rt.container.resolve(EventsService).find(Number(payload.eventId));
  if (!ev || ev.deleted_at || ev.status !== 'scheduled' || ev.starts_at !== Number(payload.startsAt)) return;
  const which = payload.which as Reminder;
  const userIds = await rt.container.resolve(RsvpService).answeredIds(ev.id);
  if (!userIds.length) return;
  const sentAt = Date.now();
  const ids: number[] = [];
  // In slices: one statement's parameters stay far below SQLite's limit.
  for (let i = 0; i < userIds.length; i += 200) {
    const claimed = await rt
      .db('event_reminders_sent')
      .insert(userIds.slice(i, i + 200).map((user_id) => ({ event_id: ev.id, starts_at: ev.starts_at, user_id, kind: which, sent_at: sentAt })))
      .onConflict(['event_id', 'starts_at', 'user_id', 'kind'])
      .ignore()
      .returning('user_id');
    ids.push(...claimed.map((r: number | { user_id: number }) => Number(typeof r === 'object' ? r.user_id : r)));
  }
  const kind = which === 'day' ? 'events.reminderDay' : 'events.reminderHour';
  if (ids.length)
    await rt.hooks.emit('notifications:notify', {
      networkId: Number(ev.network_id),
      kind,
      userIds: ids,
      actorId: null,
      entityId: ev.id,
      groupKey: `${kind}:${ev.id}:${ev.starts_at}`,
    });
}

export const eventsNotifications: HookRegistration[] = [
  onFilter('notifications:kinds', (list) => [...list, ...kinds]),
  onEvent('events:promoted', ({ networkId, entityId, userId }, rt) =>
    rt.hooks.emit('notifications:notify', { networkId, kind: 'events.promoted', userId, actorId: null, entityId }),
  ),
  onEvent('events:changed', ({ networkId, entityId, byId }, rt) => tellAnswered(rt, networkId, entityId, 'events.changed', byId)),
  onEvent('events:cancelled', ({ networkId, entityId, byId }, rt) => tellAnswered(rt, networkId, entityId, 'events.cancelled', byId)),
];
