// iCalendar: one event's .ics, the personal subscription feed (secret, revocable, read as its
// member: access and scope; never other attendees' names) and the guest feed of a public
// network — every text parsed back with ical.js (RFC 5545).
import { DAY, eachEventApp, HOUR, parseCalendar } from './support';

eachEventApp('events: one event downloads as .ics with its UTC times, place and link; all-day as dates; access checked', async (t, app) => {
  const owner = await app.member('olga');
  await app.member('mia');
  const year = new Date().getUTCFullYear() + 1;
  const startsAt = Date.UTC(year, 5, 5, 7);
  const id = await app.plan(owner, {
    title: 'Picnic; with, commas',
    startsAt,
    endsAt: startsAt + 2 * HOUR,
    place: 'Parc Montsouris',
    body: 'Bring **food**',
  });
  const m = await app.as('mia');
  const res = await m.get(`/events/${id}/event.ics`);
  t.is(res.status, 200);
  t.regex(String(res.headers['content-type']), /^text\/calendar/);
  t.regex(String(res.headers['content-disposition']), /attachment; filename="event-\d+\.ics"/);
  const cal = parseCalendar(res.text);
  t.is(cal.events.length, 1);
  const [ev] = cal.events;
  t.is(ev.summary, 'Picnic; with, commas');
  t.is(ev.location, 'Parc Montsouris');
  t.is(ev.start.toJSDate().getTime(), startsAt);
  t.is(ev.end.toJSDate().getTime(), startsAt + 2 * HOUR);
  t.true(ev.description.includes('Bring food') && ev.description.includes(`/events/${id}`));
  t.is(ev.status, 'CONFIRMED');
  t.regex(res.text, /\r\nDTSTART:\d{8}T\d{6}Z\r\n/);
  // all day: dates of the organiser's zone, the end exclusive
  const dayStart = Date.UTC(year, 6, 9, 22); // 10 July 00:00 in Paris
  const allDay = await app.plan(owner, { title: 'Fair', allDay: true, startsAt: dayStart, endsAt: dayStart + 2 * DAY });
  const fair = parseCalendar((await m.get(`/events/${allDay}/event.ics`)).text).events[0];
  t.true(fair.start.isDate);
  t.is(fair.start.toString(), `${year}-07-10`);
  t.is(fair.end.toString(), `${year}-07-12`);
  // who may not see the event gets no calendar either
  const priv = await app.plan(owner, { title: 'Mine only', access: 'private' });
  t.is((await m.get(`/events/${priv}/event.ics`)).status, 404);
  t.is((await app.guest().http.get(`/events/${id}/event.ics`)).status, 302);
  // cancelled: STATUS:CANCELLED with a higher SEQUENCE
  await (await app.as('olga')).post(`/events/${id}/cancel`);
  const cancelled = (await m.get(`/events/${id}/event.ics`)).text;
  t.is(parseCalendar(cancelled).events[0].status, 'CANCELLED');
  t.regex(cancelled, /\r\nSEQUENCE:1\r\n/);
});

eachEventApp('events: a subscription feed holds what its member may see and answered (or all), never attendee names; revocable', async (t, app) => {
  const owner = await app.member('olga');
  const mia = await app.member('mia');
  await app.member('zoe');
  const container = await app.container(owner, [mia]);
  const answered = await app.plan(owner, { title: 'Answered one' });
  const other = await app.plan(owner, { title: 'Not answered' });
  const inGroup = await app.plan(owner, { title: 'Group one', access: 'group' }, container);
  await app.plan(owner, { title: 'Secret one', access: 'private' });
  const old = await app.plan(owner, { title: 'Long ago', startsAt: Date.now() + HOUR });
  await app
    .db('events')
    .where({ entity_id: old })
    .update({ starts_at: Date.now() - 200 * DAY, ends_at: Date.now() - 200 * DAY + HOUR });
  const m = await app.as('mia');
  const z = await app.as('zoe');
  await m.post(`/events/${answered}/rsvp`, { answer: 'going' });
  await z.post(`/events/${answered}/rsvp`, { answer: 'going' });
  await m.post(`/events/${inGroup}/rsvp`, { answer: 'maybe' });
  await m.post(`/events/${other}/rsvp`, { answer: 'not_going' });
  // no link yet; making one shows it on "My events"
  const mine = await m.get('/events/mine');
  t.false(mine.text.includes('data-calendar-url'));
  t.is((await m.post('/events/subscription', { scope: 'sideways' })).status, 400);
  t.is((await m.post('/events/subscription', { scope: 'answered' })).status, 303);
  const url = /value="([^"]*calendar\.ics)"/.exec((await m.get('/events/mine')).text)![1];
  const path = new URL(url).pathname;
  t.regex(path, /^\/events\/feed\/[A-Za-z0-9_-]{43}\/calendar\.ics$/);
  // read without any session, as a calendar application does
  const feed = await app.guest().http.get(path);
  t.is(feed.status, 200);
  const titles = parseCalendar(feed.text)
    .events.map((e) => e.summary)
    .sort();
  t.deepEqual(titles, ['Answered one', 'Group one'], 'answered going or maybe, seen as mia: not the declined one, not the private one');
  for (const name of ['Zoe', 'zoe', 'Mia', 'mia@']) t.false(feed.text.includes(name), `no attendee name: ${name}`);
  t.false(feed.text.includes('ATTENDEE'));
  // all visible events: still through the access model (not the private one, not 200 days ago)
  await m.post('/events/subscription', { scope: 'visible' });
  t.is((await app.guest().http.get(path)).status, 404, 'a new link replaces the old one');
  const path2 = new URL(/value="([^"]*calendar\.ics)"/.exec((await m.get('/events/mine')).text)![1]).pathname;
  const all = parseCalendar((await app.guest().http.get(path2)).text)
    .events.map((e) => e.summary)
    .sort();
  t.deepEqual(all, ['Answered one', 'Group one', 'Not answered']);
  t.false(all.includes('Secret one'));
  // leaving the group takes its events out of the feed at once
  await app.db('container_members').where({ container_id: container, user_id: mia }).del();
  t.false(parseCalendar((await app.guest().http.get(path2)).text).events.some((e) => e.summary === 'Group one'));
  // revoking ends it
  await m.post('/events/subscription/delete');
  t.is((await app.guest().http.get(path2)).status, 404);
  t.is((await app.guest().http.get('/events/feed/not-a-secret/calendar.ics')).status, 404);
  // the account page links to it
  t.true((await m.get('/account')).text.includes('/events/mine#calendar-link'));
});

eachEventApp('events: a public network has a guest calendar of its public events only; a closed one has none', async (t, app) => {
  const owner = await app.member('olga');
  await app.plan(owner, { title: 'Open day', access: 'public' });
  await app.plan(owner, { title: 'Members only', access: 'members' });
  const going = await app.plan(owner, { title: 'Also public', access: 'public' });
  await app.member('mia');
  await (await app.as('mia')).post(`/events/${going}/rsvp`, { answer: 'going' });
  t.is((await app.guest().http.get('/events/public.ics')).status, 404);
  await app.allowGuests(true);
  const res = await app.guest().http.get('/events/public.ics');
  t.is(res.status, 200);
  const cal = parseCalendar(res.text);
  t.deepEqual(cal.events.map((e) => e.summary).sort(), ['Also public', 'Open day']);
  t.false(res.text.includes('Mia'));
  t.regex(cal.name ?? '', /public events/);
});
