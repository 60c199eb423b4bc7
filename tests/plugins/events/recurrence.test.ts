// Recurring events: a weekly series made from the form keeps 09:00 in Paris across both
// changes of time of March (read in Montreal and Singapore), is listed once by its next date,
// takes answers and reminders per date, lets one date be changed or cancelled, and downloads as
// one iCalendar VEVENT with RRULE, EXDATE and an override, parsed back and expanded by ical.js.
import ICAL from 'ical.js';
import { formatInZone, wallTime } from '../../../core';
import { createdId, eachEventApp, eventForm, HOUR } from './support';

/** The first Monday of March next year, as `YYYY-MM-DD`: six weeks from it cross the American and the European change of time. */
function firstMondayOfMarch(): string {
  const year = new Date().getUTCFullYear() + 1;
  const day = 1 + ((8 - new Date(Date.UTC(year, 2, 1)).getUTCDay()) % 7);
  return `${year}-03-${String(day).padStart(2, '0')}`;
}

const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };

interface DateRow {
  entity_id: number;
  starts_at: number;
  ends_at: number;
  series_id: number;
  series_start: number;
  status: string;
}

async function seriesRows(app: { db: import('knex').Knex }, firstId: number): Promise<DateRow[]> {
  const first = await app.db('events').where({ entity_id: firstId }).first('series_id');
  const rows = await app.db('events').where({ series_id: first.series_id }).orderBy('series_start');
  return rows.map((r: DateRow) => ({
    ...r,
    entity_id: Number(r.entity_id),
    starts_at: Number(r.starts_at),
    ends_at: Number(r.ends_at),
    series_start: Number(r.series_start),
  }));
}

eachEventApp(
  'events: a weekly series keeps 09:00 in Paris across the changes of time, read in Montreal and Singapore; listed once',
  async (t, app) => {
    await app.member('olga', { timeZone: 'Europe/Paris' });
    await app.member('marc', { timeZone: 'America/Montreal' });
    await app.member('sian', { timeZone: 'Asia/Singapore' });
    const o = await app.as('olga');
    const day = firstMondayOfMarch();
    // refused: an unknown repetition, a number of dates out of range; the words are kept
    const bad = await o.post('/events', eventForm(`${day}T09:00`, `${day}T10:30`, { title: 'Choir practice', repeat: 'yearly', repeat_count: '6' }));
    t.is(bad.status, 400);
    t.true(bad.text.includes('Choose how the event repeats.'));
    t.true(bad.text.includes('Choir practice'));
    const tooMany = await o.post(
      '/events',
      eventForm(`${day}T09:00`, `${day}T10:30`, { title: 'Choir practice', repeat: 'weekly', repeat_count: '99' }),
    );
    t.is(tooMany.status, 400);
    t.true(tooMany.text.includes('Give a number of dates from 2 to 52.'));
    t.true(tooMany.text.includes('value="99"'), 'the number typed is kept');
    t.true(tooMany.text.includes('<option value="weekly" selected>'));
    const ok = await o.post('/events', eventForm(`${day}T09:00`, `${day}T10:30`, { title: 'Choir practice', repeat: 'weekly', repeat_count: '6' }));
    t.is(ok.status, 303);
    const rows = await seriesRows(app, createdId(ok));
    t.is(rows.length, 6);
    for (const r of rows) {
      const w = wallTime(r.starts_at, 'Europe/Paris');
      t.deepEqual([w.h, w.min], [9, 0], 'every date at 09:00 in Paris');
      t.is(r.ends_at - r.starts_at, 1.5 * HOUR);
      t.is(r.series_start, r.starts_at);
    }
    const weekday = new Set(rows.map((r) => wallTime(r.starts_at, 'Europe/Paris').weekday));
    t.deepEqual([...weekday], [1], 'every Monday');
    // the UTC instant moves by an hour with Paris' change of time: not one fixed UTC time
    t.is(rows[0].starts_at % (24 * HOUR), 8 * HOUR);
    t.is(rows[5].starts_at % (24 * HOUR), 7 * HOUR);
    // Singapore (no change of time) reads 16:00 then 15:00; Montreal changes two weeks before Paris
    const sgHours = rows.map((r) => wallTime(r.starts_at, 'Asia/Singapore').h);
    t.is(sgHours[0], 16);
    t.is(sgHours[5], 15);
    const mtlHours = rows.map((r) => wallTime(r.starts_at, 'America/Montreal').h);
    t.is(mtlHours[0], 3);
    t.true(mtlHours.includes(4), 'between the American and the European change, 04:00 in Montreal');
    t.is(mtlHours[5], 3);
    for (const [who, zone] of [
      ['marc', 'America/Montreal'],
      ['sian', 'Asia/Singapore'],
    ] as const) {
      const agent = await app.as(who);
      for (const r of [rows[0], rows[5]]) {
        const page = await agent.get(`/events/${r.entity_id}`);
        const time = `${formatInZone(r.starts_at, zone, 'en', TIME)} – ${formatInZone(r.ends_at, zone, 'en', TIME)} <span class="muted">(${zone})`;
        t.true(page.text.includes(time), `${who} reads ${time}`);
        t.true(page.text.includes('Every week, 6 dates, at the same local time'));
      }
    }
    // the upcoming list shows the series once, by its next date, with the next three after it
    const list = await (await app.as('marc')).get('/events');
    t.is(list.text.match(/data-event="\d+"/g)?.length, 1);
    t.true(list.text.includes(`data-event="${rows[0].entity_id}"`));
    t.true(list.text.includes('data-series'));
    for (const r of rows.slice(1, 4)) t.true(list.text.includes(`href="/events/${r.entity_id}"`));
    t.false(list.text.includes(`href="/events/${rows[4].entity_id}"`));
    // the month calendar holds every date of March
    const month = await (await app.as('marc')).get(`/events/calendar?month=${day.slice(0, 7)}`);
    const inMarch = rows.filter((r) => wallTime(r.starts_at, 'America/Montreal').m === 3);
    for (const r of inMarch) t.true(month.text.includes(`/events/${r.entity_id}`));
    // one activity row for the series, reminders for every date
    t.is(
      Number(
        (
          await app
            .db('activity')
            .whereIn(
              'entity_id',
              rows.map((r) => r.entity_id),
            )
            .count({ n: '*' })
            .first()
        )?.n,
      ),
      1,
    );
    for (const r of rows) {
      const keys = (await app.db('jobs').where('unique_key', 'like', `events.remind:${r.entity_id}:%`).select('unique_key', 'run_at')) as {
        unique_key: string;
        run_at: number;
      }[];
      t.deepEqual(keys.map((k) => Number(k.run_at)).sort(), [r.starts_at - 24 * HOUR, r.starts_at - HOUR].sort());
    }
  },
);

eachEventApp(
  'events: answers per date; one date changed or cancelled alone; the series .ics carries RRULE, EXDATE and the change',
  async (t, app) => {
    const owner = await app.member('olga', { timeZone: 'Europe/Paris' });
    await app.member('mia');
    await app.member('zoe');
    const o = await app.as('olga');
    const day = firstMondayOfMarch();
    const ok = await o.post(
      '/events',
      eventForm(`${day}T09:00`, `${day}T10:00`, { title: 'Yoga', place: 'Studio', capacity: '1', repeat: 'weekly', repeat_count: '4' }),
    );
    const rows = await seriesRows(app, createdId(ok));
    t.is(rows.length, 4);
    // answers and places are per date: a full second date leaves the third open
    const m = await app.as('mia');
    const z = await app.as('zoe');
    t.is((await m.post(`/events/${rows[1].entity_id}/rsvp`, { answer: 'going' })).status, 303);
    await z.post(`/events/${rows[1].entity_id}/rsvp`, { answer: 'going' });
    await z.post(`/events/${rows[2].entity_id}/rsvp`, { answer: 'going' });
    const answers = await app
      .db('event_rsvps')
      .whereIn(
        'event_id',
        rows.map((r) => r.entity_id),
      )
      .orderBy(['event_id', 'user_id']);
    t.deepEqual(
      answers.map((a: { event_id: number; answer: string }) => [Number(a.event_id), a.answer]),
      [
        [rows[1].entity_id, 'going'],
        [rows[1].entity_id, 'waiting'],
        [rows[2].entity_id, 'going'],
      ],
    );
    t.true((await m.get(`/events/${rows[1].entity_id}`)).text.includes('data-answer="going"'));
    t.false((await m.get(`/events/${rows[2].entity_id}`)).text.includes('data-answer='));
    // the third date moves to 10:00 and another room: only it, and only who answered it is told
    app.events.length = 0;
    const third = rows[2];
    const moved = await o.post(
      `/events/${third.entity_id}/edit`,
      eventForm(`${wallDate(third.starts_at)}T10:00`, `${wallDate(third.starts_at)}T11:00`, { title: 'Yoga', place: 'Big room', capacity: '1' }),
    );
    t.is(moved.status, 303);
    t.deepEqual(
      app.events.filter((e) => e.name === 'events:changed').map((e) => e.payload.entityId),
      [third.entity_id],
    );
    // the fourth date is cancelled alone, as its button says
    t.regex((await o.get(`/events/${rows[3].entity_id}`)).text, /type="submit">Cancel this date<\/button>/);
    await o.post(`/events/${rows[3].entity_id}/cancel`);
    const after = await seriesRows(app, rows[0].entity_id);
    t.deepEqual(
      after.map((r) => r.status),
      ['scheduled', 'scheduled', 'scheduled', 'cancelled'],
    );
    t.is(after[2].starts_at, third.starts_at + HOUR);
    t.is(after[2].series_start, third.series_start, 'the date keeps its place in the series');
    t.is(after[0].starts_at, rows[0].starts_at);
    // the date's page lists the series' dates, the cancelled one marked
    const page = await m.get(`/events/${rows[0].entity_id}`);
    t.true(page.text.includes('Dates of this series'));
    t.true(page.text.includes('events-series__cancelled'));
    // the series as iCalendar, parsed back and expanded by ical.js
    const res = await m.get(`/events/${rows[1].entity_id}/series.ics`);
    t.is(res.status, 200);
    t.regex(String(res.headers['content-type']), /^text\/calendar/);
    t.regex(res.text, /\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\n/);
    t.regex(res.text, /\r\nDTSTART;TZID=Europe\/Paris:\d{8}T090000\r\n/);
    t.regex(res.text, /\r\nEXDATE;TZID=Europe\/Paris:\d{8}T090000\r\n/);
    t.false(/mia|zoe|Mia|Zoe/.test(res.text), 'no attendee names');
    const cal = new ICAL.Component(ICAL.parse(res.text));
    for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
    const vevents = cal.getAllSubcomponents('vevent');
    t.is(vevents.length, 2, 'the rule and the changed date');
    const master = new ICAL.Event(vevents.find((v) => !v.hasProperty('recurrence-id'))!);
    const override = new ICAL.Event(vevents.find((v) => v.hasProperty('recurrence-id'))!);
    t.is(override.uid, master.uid);
    t.is(override.location, 'Big room');
    t.is(override.recurrenceId.toJSDate().getTime(), third.series_start);
    t.is(override.startDate.toJSDate().getTime(), third.starts_at + HOUR);
    master.relateException(override);
    const expanded: number[] = [];
    const it = master.iterator();
    for (let next = it.next(); next; next = it.next()) expanded.push(master.getOccurrenceDetails(next).startDate.toJSDate().getTime());
    t.deepEqual(
      expanded,
      [rows[0].starts_at, rows[1].starts_at, third.starts_at + HOUR],
      'the dates as the site has them: the cancelled one excluded',
    );
    // who may not see the series gets no calendar; an event that happens once has none
    const priv = await app.plan(owner, { title: 'Alone', access: 'private' });
    t.is((await m.get(`/events/${priv}/series.ics`)).status, 404);
    const once = await app.plan(owner, { title: 'Once' });
    t.is((await m.get(`/events/${once}/series.ics`)).status, 404);
  },
);

/** `YYYY-MM-DD` of an instant in Paris. */
function wallDate(at: number): string {
  const w = wallTime(at, 'Europe/Paris');
  return `${w.y}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
}
