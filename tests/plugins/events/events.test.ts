// Creating, showing, editing, cancelling and deleting events; times in each viewer's zone.
import { rowCount, countRows } from '../../helpers/rows';
import { createdId, DAY, eachEventApp, eventForm, HOUR } from './support';

eachEventApp('events: the form refuses bad input with its words kept, then creates the event; the feed shows it', async (t, app) => {
  await app.member('olga', { timeZone: 'Europe/Paris' });
  const o = await app.as('olga');
  const form = await o.get('/events/new');
  t.is(form.status, 200);
  t.true(form.text.includes('<option value="Europe/Paris" selected>'), "the organiser's zone is offered first");
  const bad = await o.post('/events', {
    title: 'Picnic',
    body: 'Bring food',
    starts: '2031-02-30T10:00',
    ends: 'soon',
    capacity: '-3',
    map_url: 'javascript:alert(1)',
    organisers: 'nobody',
    access: 'members',
    time_zone: 'Europe/Paris',
  });
  t.is(bad.status, 400);
  for (const words of ['Picnic', 'Bring food', 'nobody']) t.true(bad.text.includes(words), `kept: ${words}`);
  for (const message of [
    'This is not a date and time',
    'The capacity is a whole number',
    'This is not a web address',
    'No member of this network has these usernames: nobody',
  ])
    t.true(bad.text.includes(message), message);
  // a start that is no date: the start says so, the empty end does not
  const noStart = await o.post('/events', { title: 'Picnic', body: 'Bring food', starts: 'tomorrow', access: 'members' });
  t.is(noStart.status, 400);
  t.false(noStart.text.includes('field-ends-error'));
  t.true(noStart.text.includes('field-starts-error'));
  const year = new Date().getUTCFullYear() + 1;
  const ok = await o.post(
    '/events',
    eventForm(`${year}-06-05T09:00`, `${year}-06-05T11:30`, { title: 'Picnic', body: 'Bring **food**', place: 'Parc Montsouris', capacity: '20' }),
  );
  t.is(ok.status, 303);
  const id = createdId(ok);
  const row = await app.db('events').where({ entity_id: id }).first();
  t.is(Number(row.starts_at), Date.UTC(year, 5, 5, 7, 0), '09:00 in Paris in June is 07:00 UTC');
  t.is(Number(row.ends_at), Date.UTC(year, 5, 5, 9, 30));
  t.is(row.time_zone, 'Europe/Paris');
  t.is(row.body_html.includes('<strong>food</strong>'), true);
  const page = await o.get(`/events/${id}`);
  t.is(page.status, 200);
  t.true(page.text.includes('9:00 AM – 11:30 AM <span class="muted">(Europe/Paris)'));
  t.true(page.text.includes('20 of 20 left'));
  // the activity feed: "created an event" with its date and place
  await app.member('mia');
  const feed = await (await app.as('mia')).get('/activity');
  t.true(feed.text.includes('created an event'));
  t.true(feed.text.includes('Parc Montsouris'));
  t.is(await countRows(app.db, 'event_organisers', { event_id: id }), 1);
});

eachEventApp('events: 09:00 in Paris reads 03:00 in Montreal and 15:00 in Singapore (and the organiser time is named)', async (t, app) => {
  const owner = await app.member('olga', { timeZone: 'Europe/Paris' });
  await app.member('marc', { timeZone: 'America/Montreal' });
  await app.member('sian', { timeZone: 'Asia/Singapore' });
  const year = new Date().getUTCFullYear() + 1;
  // 9 March: Paris on winter time (UTC+1), Montreal already on summer time (UTC-4, since the 2nd Sunday of March).
  const startsAt = Date.UTC(year, 2, 9 + ((7 - new Date(Date.UTC(year, 2, 9)).getUTCDay()) % 7) + 7, 8, 0); // a Sunday after the US change, 09:00 Paris
  const id = await app.plan(owner, { title: 'Morning call', startsAt, endsAt: startsAt + HOUR, timeZone: 'Europe/Paris' });
  const paris = await (await app.as('olga')).get(`/events/${id}`);
  t.regex(paris.text, /9:00 AM – 10:00 AM <span class="muted">\(Europe\/Paris\)/);
  t.false(paris.text.includes('data-organiser-time'));
  const montreal = await (await app.as('marc')).get(`/events/${id}`);
  t.regex(montreal.text, /4:00 AM – 5:00 AM <span class="muted">\(America\/Montreal\)/, 'UTC-4 after the American change, UTC+1 in Paris: 5 hours');
  t.regex(montreal.text, /Organiser&#x27;s time: .*9:00 AM – 10:00 AM \(Europe\/Paris\)/);
  const singapore = await (await app.as('sian')).get(`/events/${id}`);
  t.regex(singapore.text, /4:00 PM – 5:00 PM <span class="muted">\(Asia\/Singapore\)/);
  // In June (both on summer time): 09:00 Paris = 03:00 Montreal = 15:00 Singapore.
  const june = Date.UTC(year, 5, 5, 7, 0);
  const id2 = await app.plan(owner, { title: 'June call', startsAt: june, endsAt: june + HOUR });
  t.regex((await (await app.as('marc')).get(`/events/${id2}`)).text, /3:00 AM – 4:00 AM <span class="muted">\(America\/Montreal\)/);
  t.regex((await (await app.as('sian')).get(`/events/${id2}`)).text, /3:00 PM – 4:00 PM <span class="muted">\(Asia\/Singapore\)/);
  // the list and the month calendar read the same zone
  const list = await (await app.as('sian')).get('/events');
  t.true(list.text.includes('3:00 PM – 4:00 PM'));
  const month = await (await app.as('marc')).get(`/events/calendar?month=${year}-06`);
  t.is(month.status, 200);
  t.regex(month.text, /<span class="events-month__time">3:00 AM<\/span> June call/);
});

eachEventApp('events: all-day events keep their dates; edits notify who answered; cancel and delete', async (t, app) => {
  const owner = await app.member('olga', { timeZone: 'Europe/Paris' });
  await app.member('mia', { timeZone: 'Pacific/Auckland' });
  const o = await app.as('olga');
  const year = new Date().getUTCFullYear() + 1;
  const fair = { title: 'Fair', body: 'Two days', all_day: '1' };
  const res = await o.post('/events', eventForm(`${year}-07-10T00:00`, `${year}-07-11T00:00`, fair));
  t.is(res.status, 303);
  const id = createdId(res);
  const row = await app.db('events').where({ entity_id: id }).first();
  t.is(Number(row.starts_at), Date.UTC(year, 6, 9, 22), '00:00 in Paris');
  t.is(Number(row.ends_at), Date.UTC(year, 6, 11, 22), 'the end is 00:00 after the last day');
  const m = await app.as('mia');
  const seen = await m.get(`/events/${id}`);
  t.regex(seen.text, /Jul 10, \d+ – .*Jul 11, \d+/, 'the same dates on the other side of the world');
  t.is((await m.post(`/events/${id}/rsvp`, { answer: 'going' })).status, 303);
  // the edit form shows the dates as typed, and the co-organisers
  const edit = await o.get(`/events/${id}/edit`);
  t.true(edit.text.includes(`value="${year}-07-10T00:00"`) && edit.text.includes(`value="${year}-07-11T00:00"`));
  const moved = await o.post(`/events/${id}/edit`, eventForm(`${year}-07-17T00:00`, `${year}-07-18T00:00`, { ...fair, organisers: 'mia' }));
  t.is(moved.status, 303);
  t.is(app.events.filter((e) => e.name === 'events:changed').length, 1);
  const notes = await app.db('notifications').where({ kind: 'events.changed', entity_id: id }).select('user_id');
  t.deepEqual(
    notes.map((n: { user_id: number }) => Number(n.user_id)),
    [
      await app
        .db('users')
        .where({ username: 'mia' })
        .first('id')
        .then((r: { id: number }) => Number(r.id)),
    ],
  );
  // mia is a co-organiser now: she may edit; reminders follow the new date
  t.is((await m.get(`/events/${id}/edit`)).status, 200);
  const jobs = await app.db('jobs').where('unique_key', 'like', `events.remind:${id}:%`).where({ status: 'pending' }).select('run_at', 'unique_key');
  t.is(jobs.length, 2);
  const newStart = Date.UTC(year, 6, 16, 22);
  t.deepEqual(jobs.map((j: { run_at: number }) => Number(j.run_at)).sort(), [newStart - DAY, newStart - HOUR]);
  // cancel: shown, answers closed, those who answered told, reminders gone
  t.is((await o.post(`/events/${id}/cancel`)).status, 303);
  const cancelled = await m.get(`/events/${id}`);
  t.true(cancelled.text.includes('This event has been cancelled.'));
  t.true(cancelled.text.includes('data-closed'));
  t.is((await m.post(`/events/${id}/rsvp`, { answer: 'maybe' })).status, 409);
  t.is(await countRows(app.db, 'notifications', { kind: 'events.cancelled', entity_id: id }), 1);
  t.is(await rowCount(app.db('jobs').where('unique_key', 'like', `events.remind:${id}:%`).where({ status: 'pending' })), 0);
  // a second cancel answers as the first did, without telling anyone again
  t.is((await o.post(`/events/${id}/cancel`)).status, 303);
  t.is(await countRows(app.db, 'notifications', { kind: 'events.cancelled', entity_id: id }), 1);
  // delete: gone for everyone
  const other = await app.plan(owner, { title: 'Other' });
  t.is((await m.post(`/events/${other}/delete`)).status, 403, 'not hers');
  t.is((await o.post(`/events/${other}/delete`)).status, 303);
  t.is((await m.get(`/events/${other}`)).status, 404);
  t.is((await o.get('/events')).text.includes(`data-event="${other}"`), false);
});
