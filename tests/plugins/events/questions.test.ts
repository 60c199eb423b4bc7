// Questions to attendees: set by the organiser on the form, replied to with the answer, seen
// by those who may change the event only (page and CSV), never by other members or on another
// surface (lists, the .ics, the feed); a reworded question loses its replies, "not going"
// drops the member's, a reply too long is refused with the words kept.
import { rowCount } from '../../helpers/rows';
import { createdId, eachEventApp, eventForm } from './support';

eachEventApp('events: questions to attendees, replies seen by the organisers only, as a table and CSV', async (t, app) => {
  await app.member('olga', { timeZone: 'Europe/Paris' });
  await app.member('mia');
  await app.member('zoe');
  await app.member('mod', { role: 'moderator' });
  const o = await app.as('olga');
  const year = new Date().getUTCFullYear() + 1;
  const form = eventForm(`${year}-03-10T18:00`, `${year}-03-10T21:00`, { title: 'Cooking workshop', body: 'We cook together.' });
  const tooMany = await o.post('/events', { ...form, questions: 'One?\nTwo?\nThree?\nFour?\nFive?\nSix?' });
  t.is(tooMany.status, 400);
  t.true(tooMany.text.includes('Ask 5 questions at most.'));
  t.true(tooMany.text.includes('Six?'), 'the questions typed are kept');
  const created = await o.post('/events', { ...form, questions: 'Anything you cannot eat?\n\n  Which dish would you like to cook?  ' });
  t.is(created.status, 303);
  const id = createdId(created);
  t.deepEqual(
    (await app.db('event_questions').where({ event_id: id }).orderBy('position').select('question')).map((r: { question: string }) => r.question),
    ['Anything you cannot eat?', 'Which dish would you like to cook?'],
  );
  const edit = await o.get(`/events/${id}/edit`);
  t.true(edit.text.includes('Anything you cannot eat?\nWhich dish would you like to cook?</textarea>'), 'the edit form shows them');

  // mia: the questions on her answer form; a reply too long is refused, what she typed kept, nothing stored
  const mia = await app.as('mia');
  const page = await mia.get(`/events/${id}`);
  t.true(page.text.includes('name="reply_0"') && page.text.includes('name="reply_1"'));
  t.true(page.text.includes('Anything you cannot eat?'));
  const long = await mia.post(`/events/${id}/rsvp`, { answer: 'going', reply_0: 'Peanuts', reply_1: 'x'.repeat(501) });
  t.is(long.status, 400);
  t.true(long.text.includes('Each reply may have 500 characters at most.'));
  t.true(long.text.includes('value="Peanuts"'), 'her words are kept');
  t.is(await rowCount(app.db('event_rsvps').where({ event_id: id })), 0);
  t.is(await rowCount(app.db('event_question_replies').where({ event_id: id })), 0);
  // then as it should be, twice (a double submit answers as the first)
  for (let i = 0; i < 2; i++)
    t.is((await mia.post(`/events/${id}/rsvp`, { answer: 'going', reply_0: 'Peanuts', reply_1: 'Ratatouille' })).status, 303);
  t.is(await rowCount(app.db('event_question_replies').where({ event_id: id })), 2);
  t.true((await mia.get(`/events/${id}`)).text.includes('value="Ratatouille"'), 'her own replies are shown back to her');
  const zoe = await app.as('zoe');
  t.is((await zoe.post(`/events/${id}/rsvp`, { answer: 'maybe', reply_0: '', reply_1: 'Tarte tatin' })).status, 303);

  // Other members never see the replies: not on the page, not in the CSV, not in a list, the .ics or the feed
  for (const [who, agent] of [
    ['mia', mia],
    ['zoe', zoe],
  ] as const) {
    const seen = await agent.get(`/events/${id}`);
    t.false(seen.text.includes('data-replies'), `${who}: no table`);
    t.false(seen.text.includes(who === 'mia' ? 'Tarte tatin' : 'Peanuts'), `${who}: not the other's reply`);
    t.is((await agent.agent.http.get(`/events/${id}/replies.csv`)).status, 403, `${who}: no CSV`);
    for (const url of ['/events', `/events/${id}/event.ics`, '/activity', '/events/mine'])
      for (const words of ['Peanuts', 'Ratatouille', 'Tarte tatin']) t.false((await agent.get(url)).text.includes(words), `${who}: ${url} ${words}`);
  }
  t.not((await app.guest().http.get(`/events/${id}/replies.csv`)).status, 200, 'a guest: no CSV');

  // The organiser and a moderator (who may change the event): the table and the CSV
  for (const agent of [o, await app.as('mod')]) {
    const seen = await agent.get(`/events/${id}`);
    t.true(seen.text.includes('data-replies'));
    for (const words of ['Peanuts', 'Ratatouille', 'Tarte tatin', 'Mia', 'Zoe']) t.true(seen.text.includes(words), words);
    const csv = await agent.agent.http.get(`/events/${id}/replies.csv`);
    t.is(csv.status, 200);
    t.regex(String(csv.headers['content-type']), /^text\/csv/);
    t.true(csv.text.includes('"Member","Username","Answer","Anything you cannot eat?","Which dish would you like to cook?"\r\n'));
    t.true(csv.text.includes('"Mia","mia","Going","Peanuts","Ratatouille"\r\n'));
    t.true(csv.text.includes('"Zoe","zoe","Maybe","","Tarte tatin"\r\n'));
  }

  // The second question reworded: its replies go, the first's stay
  const saved = await o.post(`/events/${id}/edit`, { ...form, questions: 'Anything you cannot eat?\nWhich dessert would you bring?' });
  t.is(saved.status, 303);
  t.deepEqual(
    (await app.db('event_question_replies').where({ event_id: id }).orderBy('user_id').select('position', 'reply')).map(
      (r: { position: number; reply: string }) => `${r.position}:${r.reply}`,
    ),
    ['0:Peanuts'],
  );
  // mia is not going after all: her replies go too
  t.is((await mia.post(`/events/${id}/rsvp`, { answer: 'not_going' })).status, 303);
  t.is(await rowCount(app.db('event_question_replies').where({ event_id: id })), 0);
});
