// Every access level against every kind of viewer: the predicate (canSee), the event page,
// its .ics, the upcoming list, the month calendar, the container list; and the reminders
// job, which reminds only who answered and may still see the event.
import { ACCESS_LEVELS, matrixViewers, SEES, VIEWER_NAMES, VIEWERS, type AccessLevelName } from '../../helpers/who-sees';
import { remind } from '../../../plugins/events/notifications';
import { DAY, eachEventApp } from './support';
import { rowCount } from '../../helpers/rows';

eachEventApp('events: every access level against owner, friend, member, group member, moderator, admin and guest', async (t, app) => {
  const { owner, container, get } = await matrixViewers(app);
  const startsAt = Date.now() + 2 * DAY;
  const month = new Date(startsAt).toISOString().slice(0, 7);
  const ids: Record<string, number> = {};
  for (const level of ACCESS_LEVELS) {
    ids[level] = await app.plan(
      owner,
      { title: `Level ${level}`, access: level as never, startsAt, endsAt: startsAt + 3_600_000, timeZone: 'UTC' },
      level === 'group' ? container : null,
    );
  }
  for (const who of VIEWERS) {
    const viewer =
      who === 'guest' ? null : ((await app.rt.users.viewer((await app.db('users').where({ username: VIEWER_NAMES[who] }).first('id')).id)) ?? null);
    const [list, cal, inContainer] = await Promise.all([
      get(who, '/events'),
      get(who, `/events/calendar?month=${month}`),
      get(who, `/events/in/${container}`),
    ]);
    t.is(list.status, 200, `${who}: list`);
    t.is(cal.status, 200, `${who}: month`);
    if (who === 'guest') t.is(inContainer.status, 302, 'guest: the members-only container asks to sign in');
    for (const [level, id] of Object.entries(ids)) {
      const sees = SEES[level as AccessLevelName].includes(who);
      t.is(await app.rt.access.canSee(viewer, (await app.rt.entities.get(id))!), sees, `${level} / ${who}: predicate`);
      const page = await get(who, `/events/${id}`);
      t.is(page.status, sees ? 200 : who === 'guest' ? 302 : 404, `${level} / ${who}: page`);
      const ics = await get(who, `/events/${id}/event.ics`);
      t.is(ics.status, sees ? 200 : who === 'guest' ? 302 : 404, `${level} / ${who}: .ics`);
      if (sees) t.true(ics.text.includes(`SUMMARY:Level ${level}`));
      t.is(list.text.includes(`data-event="${id}"`), sees, `${level} / ${who}: list`);
      t.is(cal.text.includes(`Level ${level}<`), sees, `${level} / ${who}: month`);
      if (who !== 'guest') t.is(inContainer.text.includes(`data-event="${id}"`), sees && level === 'group', `${level} / ${who}: container list`);
    }
  }
});

eachEventApp('events: reminders go to who answered and still sees the event, once the start is still the planned one', async (t, app) => {
  const owner = await app.member('olga');
  const mia = await app.member('mia');
  const zoe = await app.member('zoe');
  const container = await app.container(owner, [mia, zoe]);
  const id = await app.plan(owner, { title: 'Group walk', access: 'group' }, container);
  await (await app.as('mia')).post(`/events/${id}/rsvp`, { answer: 'going' });
  await (await app.as('zoe')).post(`/events/${id}/rsvp`, { answer: 'maybe' });
  // zoe leaves the group: she no longer sees the event, so she is not reminded of it
  await app.db('container_members').where({ container_id: container, user_id: zoe }).del();
  const ev = (await app.svc.find(id))!;
  const jobs = await app.db('jobs').where('unique_key', 'like', `events.remind:${id}:%`).select('unique_key', 'run_at', 'payload');
  t.deepEqual(jobs.map((j: { unique_key: string }) => j.unique_key).sort(), [`events.remind:${id}:day`, `events.remind:${id}:hour`]);
  await remind(app.rt, { eventId: id, which: 'day', startsAt: ev.starts_at });
  const rows = await app.db('notifications').where({ kind: 'events.reminderDay', entity_id: id }).select('user_id');
  t.deepEqual(
    rows.map((r: { user_id: number }) => Number(r.user_id)),
    [mia],
  );
  t.true((await (await app.as('mia')).get('/notifications')).text.includes('Tomorrow: Group walk'));
  // a job planned for another start (the event moved since) does nothing
  await remind(app.rt, { eventId: id, which: 'hour', startsAt: ev.starts_at - DAY });
  t.is(await rowCount(app.db('notifications').where({ kind: 'events.reminderHour', entity_id: id })), 0);
});
