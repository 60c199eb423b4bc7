// Reminders a day and an hour before, sent by email through a real SMTP server on loopback:
// to who answered going, maybe or waiting, per each member's settings for the kind, and once
// only, even when two processes on the same database run the due jobs at the same time and
// the job itself runs twice (a lease that ran out).
import { simpleParser } from 'mailparser';
import { makeApp } from '../../helpers/app';
import { eachDatabase } from '../../helpers/databases';
import { smtpConfig, smtpServer, type SmtpMessage } from '../../helpers/smtp';
import { remind } from '../../../plugins/events/notifications';
import { DAY, HOUR, eventApp } from './support';

eachDatabase('events: reminders a day and an hour before reach each member once, by email as they chose', async (t, db) => {
  const received: SmtpMessage[] = [];
  const server = await smtpServer((m) => void received.push(m));
  const config = smtpConfig(server.port);
  const app = await eventApp(db, config);
  // A second process on the same database, with its own job runner.
  const other = await makeApp(db, { install: false, config });
  try {
    const olga = await app.member('olga');
    await app.member('mia');
    await app.member('zoe');
    await app.member('pia');
    await app.member('ned');
    const startsAt = Date.now() + 3 * DAY;
    const id = await app.plan(olga, { title: 'Harbour clean-up', startsAt, endsAt: startsAt + 2 * HOUR, capacity: 1 });
    await (await app.as('mia')).post(`/events/${id}/rsvp`, { answer: 'going' });
    await (await app.as('zoe')).post(`/events/${id}/rsvp`, { answer: 'going' }); // on the waiting list
    await (await app.as('ned')).post(`/events/${id}/rsvp`, { answer: 'not_going' });
    const pia = await app.as('pia');
    await pia.post(`/events/${id}/rsvp`, { answer: 'maybe' });
    // pia wants no email for the day-before reminder (her settings page), the hour's as usual
    t.is((await pia.post('/notifications/settings', { freq_events__reminderDay: 'never' })).status, 303);
    const mailsTo = (who: string, subject: RegExp): number =>
      received.filter((m) => m.to.includes(`${who}@example.com`) && subject.test(m.raw.toString('utf8'))).length;

    // The day before: both processes run the due jobs at once, and the job runs once more on its own.
    const dayBefore = startsAt - DAY;
    const ran = await Promise.all([
      app.rt.jobs.runDue({ now: dayBefore }),
      other.app.ruche.jobs.runDue({ now: dayBefore }),
      remind(app.rt, { eventId: id, which: 'day', startsAt }),
    ]);
    t.true(ran[0] + ran[1] >= 1, 'the reminder job ran');
    // The notification emails (a job each, queued by the notifications plugin) go out.
    await Promise.all([app.rt.jobs.runDue({ now: dayBefore }), other.app.ruche.jobs.runDue({ now: dayBefore })]);
    await app.rt.jobs.runDue({ now: dayBefore });
    const dayRows = await app.db('notifications').where({ kind: 'events.reminderDay', entity_id: id }).orderBy('user_id').select('user_id');
    const ids = async (...names: string[]) =>
      (await app.db('users').whereIn('username', names).orderBy('id').select('id')).map((r: { id: number }) => Number(r.id));
    t.deepEqual(
      dayRows.map((r: { user_id: number }) => Number(r.user_id)),
      await ids('mia', 'zoe', 'pia'),
      'one notification each for going, waiting and maybe; none for not going or the organiser',
    );
    t.is(received.filter((m) => m.to.includes('mia@example.com')).length, 1, 'mia: one email');
    t.is(received.filter((m) => m.to.includes('zoe@example.com')).length, 1, 'zoe: one email');
    t.is(received.filter((m) => m.to.includes('pia@example.com')).length, 0, 'pia chose no email for it');
    t.is(received.filter((m) => m.to.includes('ned@example.com') || m.to.includes('olga@example.com')).length, 0);
    const mail = await simpleParser(received.find((m) => m.to.includes('mia@example.com'))!.raw);
    t.regex(mail.subject ?? '', /Tomorrow: Harbour clean-up/);
    t.regex(mail.text ?? '', /Harbour clean-up/);
    t.regex(mail.text ?? '', /\/events\/\d+/, 'a link to the event');
    t.is(mailsTo('mia', /Tomorrow/), 1);

    // Run again later (a retry, a late process): nobody is reminded twice.
    await remind(app.rt, { eventId: id, which: 'day', startsAt });
    await app.rt.jobs.runDue({ now: dayBefore + 60_000 });
    t.is(
      await app
        .db('notifications')
        .where({ kind: 'events.reminderDay', entity_id: id })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r!.n)),
      3,
    );

    // An hour before: the second reminder, by email to pia too this time.
    const hourBefore = startsAt - HOUR;
    await Promise.all([app.rt.jobs.runDue({ now: hourBefore }), other.app.ruche.jobs.runDue({ now: hourBefore })]);
    await Promise.all([app.rt.jobs.runDue({ now: hourBefore }), other.app.ruche.jobs.runDue({ now: hourBefore })]);
    for (const who of ['mia', 'zoe', 'pia']) t.is(mailsTo(who, /In an hour: Harbour clean-up/), 1, `${who}: one hour reminder`);
    t.is(
      await app
        .db('event_reminders_sent')
        .where({ event_id: id })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r!.n)),
      6,
    );
  } finally {
    await other.close();
    await app.close();
    await server.close();
  }
});
