// Answers: going / maybe / not going, the capacity and its waiting list under parallel
// requests (no over-booking on either database), promotion with a notification, the
// deadline, and the attendee list hidden when the organisers choose.
import { countRows } from '../../helpers/rows';
import { eachEventApp, HOUR } from './support';

const NAMES = ['ana', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal'];

eachEventApp(
  'events: eight members answer going at once for three places: three go, five wait in order, a freed place goes to the first',
  async (t, app) => {
    const owner = await app.member('olga');
    const ids: Record<string, number> = {};
    for (const n of NAMES) ids[n] = await app.member(n);
    const id = await app.plan(owner, { title: 'Small room', capacity: 3 });
    const agents = await Promise.all(NAMES.map((n) => app.as(n)));
    const tokens = await Promise.all(agents.map((a) => a.token()));
    // every request in flight together, through HTTP
    const answers = await Promise.all(
      agents.map((a, i) => a.agent.http.post(`/events/${id}/rsvp`).type('form').send({ _csrf: tokens[i], answer: 'going' })),
    );
    t.true(answers.every((r) => r.status === 303));
    const rows = await app.db('event_rsvps').where({ event_id: id }).select('user_id', 'answer', 'waiting_since');
    t.is(rows.filter((r: { answer: string }) => r.answer === 'going').length, 3, 'never more than the capacity');
    t.is(rows.filter((r: { answer: string }) => r.answer === 'waiting').length, 5);
    t.is(Number((await app.db('events').where({ entity_id: id }).first('going_count')).going_count), 3);
    // a double submit answers as the first: nothing moves
    const goer = NAMES.find((n) => rows.some((r: { user_id: number; answer: string }) => Number(r.user_id) === ids[n] && r.answer === 'going'))!;
    const g = agents[NAMES.indexOf(goer)];
    await Promise.all([g.post(`/events/${id}/rsvp`, { answer: 'going' }), g.post(`/events/${id}/rsvp`, { answer: 'going' })]);
    t.is(Number((await app.db('events').where({ entity_id: id }).first('going_count')).going_count), 3);
    // the waiting list, in the order of asking: the first waiting gets the freed place, and is told
    const waiting = await app
      .db('event_rsvps')
      .where({ event_id: id, answer: 'waiting' })
      .orderBy('waiting_since')
      .orderBy('user_id')
      .select('user_id');
    const first = Number(waiting[0].user_id);
    const firstName = NAMES.find((n) => ids[n] === first)!;
    const page = await agents[NAMES.indexOf(firstName)].get(`/events/${id}`);
    t.true(page.text.includes('number 1 on the waiting list'));
    t.true(page.text.includes('0 of 3 left'));
    t.is((await g.post(`/events/${id}/rsvp`, { answer: 'not_going' })).status, 303);
    t.is((await app.db('event_rsvps').where({ event_id: id, user_id: first }).first('answer')).answer, 'going');
    t.deepEqual(
      app.events.filter((e) => e.name === 'events:promoted').map((e) => (e.payload as { userId: number }).userId),
      [first],
    );
    t.is(await countRows(app.db, 'notifications', { kind: 'events.promoted', user_id: first, entity_id: id }), 1);
    const promoted = await agents[NAMES.indexOf(firstName)].get('/notifications');
    t.true(promoted.text.includes('A place freed up: you are now going to Small room'));
    // several leave at once: each freed place is filled once, and the count stays true
    const going = (await app.db('event_rsvps').where({ event_id: id, answer: 'going' }).select('user_id')).map((r: { user_id: number }) =>
      Number(r.user_id),
    );
    const leavers = going.map((uid: number) => agents[NAMES.indexOf(NAMES.find((n) => ids[n] === uid)!)]);
    const lt = await Promise.all(leavers.map((a) => a.token()));
    await Promise.all(leavers.map((a, i) => a.agent.http.post(`/events/${id}/rsvp`).type('form').send({ _csrf: lt[i], answer: 'maybe' })));
    const after = await app.db('event_rsvps').where({ event_id: id }).select('answer');
    t.is(after.filter((r: { answer: string }) => r.answer === 'going').length, 3);
    t.is(after.filter((r: { answer: string }) => r.answer === 'waiting').length, 1);
    t.is(Number((await app.db('events').where({ entity_id: id }).first('going_count')).going_count), 3);
    // raising the capacity moves the waiting list up
    const ev = (await app.svc.find(id))!;
    await app.db('events').where({ entity_id: id }).update({ capacity: 10 });
    await app.rsvp.fillPlaces({ ...ev, capacity: 10 });
    t.is(await countRows(app.db, 'event_rsvps', { event_id: id, answer: 'waiting' }), 0);
  },
);

eachEventApp('events: the deadline closes answers; a hidden attendee list is seen by organisers only; bad answers are 400', async (t, app) => {
  const owner = await app.member('olga');
  await app.member('ana');
  await app.member('ben');
  const id = await app.plan(owner, { title: 'Quiet dinner', hideAttendees: true, deadline: Date.now() + HOUR });
  const a = await app.as('ana');
  t.is((await a.post(`/events/${id}/rsvp`, { answer: 'going' })).status, 303);
  t.is((await a.post(`/events/${id}/rsvp`, { answer: 'yes please' })).status, 400);
  const b = await app.as('ben');
  const seen = await b.get(`/events/${id}`);
  t.false(seen.text.includes('Ana'), 'ben does not see who comes');
  t.true(seen.text.includes('The organisers keep the list of attendees private.'));
  t.true(seen.text.includes('1 going'));
  const org = await (await app.as('olga')).get(`/events/${id}`);
  t.true(org.text.includes('data-attendees="going"') && org.text.includes('Ana'));
  // past the deadline: closed for everyone
  await app
    .db('events')
    .where({ entity_id: id })
    .update({ rsvp_deadline: Date.now() - 1000 });
  const late = await b.post(`/events/${id}/rsvp`, { answer: 'going' });
  t.is(late.status, 409);
  t.true(late.text.includes('The deadline to answer has passed.'));
  t.is(await countRows(app.db, 'event_rsvps', { event_id: id }), 1);
  // a guest is asked to sign in; nobody answers an event they cannot see
  const priv = await app.plan(owner, { title: 'Private', access: 'private' });
  t.is((await b.post(`/events/${priv}/rsvp`, { answer: 'going' })).status, 404);
});
