// Delivery on every channel at once, on both databases, with a real SMTP server: an email per
// recipient sent immediately whatever their digest choices, each one's state recorded, an SMTP
// refusal retried with backoff until it passes; the notification bell; a reminder to those who
// have not answered yet.
import { simpleParser } from 'mailparser';
import { eachDatabase } from '../../helpers/databases';
import { smtpConfig, smtpServer, type SmtpMessage } from '../../helpers/smtp';
import { alertsApp } from './support';

eachDatabase('every recipient is emailed at once, each delivery recorded, SMTP failures retried; the bell; a reminder', async (t, db) => {
  const received: SmtpMessage[] = [];
  // Carol's server refuses her first two messages (a full mailbox), then takes them.
  let carolRefusals = 2;
  const server = await smtpServer((m) => {
    if (m.to.includes('carol@example.com') && carolRefusals > 0) {
      carolRefusals--;
      return Object.assign(new Error('Mailbox full'), { responseCode: 452 });
    }
    received.push(m);
  });
  t.teardown(() => server.close());
  const app = await alertsApp(db, smtpConfig(server.port));
  try {
    const { rt } = app;
    const [bob, carol] = await app.members('bob', 'carol');
    // Bob chose a weekly digest for everything he could: alerts ignore it (and offer no choice).
    await rt.db('notification_prefs').insert({ user_id: bob, kind: 'alerts.alert', frequency: 'weekly', updated_at: Date.now() });
    const sender = await app.as('admin');
    const settings = await (await app.as('bob')).get('/notifications/settings');
    t.notRegex(settings.text, /Urgent alerts/, 'no frequency to choose for alerts');
    const id = await app.send(sender, { audience: 'network' });
    const now = Date.now();
    await app.run(now);
    const subjects = async (to: string) =>
      Promise.all(received.filter((m) => m.to.includes(to)).map(async (m) => (await simpleParser(m.raw)).subject));
    t.deepEqual(await subjects('bob@example.com'), ['Emergency: Storm warning']);
    t.deepEqual(await subjects('admin@example.com'), ['Emergency: Storm warning']);
    t.deepEqual(await subjects('carol@example.com'), []);
    const state = async (userId: number) =>
      (await rt.db('alerts_recipients').where({ alert_id: id, user_id: userId }).first('mail_state', 'mail_error', 'mail_attempts')) as {
        mail_state: string;
        mail_error: string | null;
        mail_attempts: number;
      };
    t.is((await state(bob)).mail_state, 'sent');
    const failed = await state(carol);
    t.is(failed.mail_state, 'failed');
    t.regex(String(failed.mail_error), /Mailbox full/);
    // The dashboard says so.
    t.regex((await sender.get(`/alerts/${id}`)).text, /Email failed<\/span> <span class="alerts-bar__n">1</);
    // Retried with backoff: the second attempt fails too, the third delivers; nobody else is mailed twice.
    await app.run(now + 60_000);
    t.is((await state(carol)).mail_state, 'failed');
    await app.run(now + 60 * 60_000);
    t.is((await state(carol)).mail_state, 'sent');
    t.is(Number((await state(carol)).mail_attempts), 3);
    t.is((await subjects('carol@example.com')).length, 1);
    t.is((await subjects('bob@example.com')).length, 1);
    // The body names the alert and links to it.
    const mail = await simpleParser(received.find((m) => m.to.includes('bob@example.com'))!.raw);
    t.regex(mail.text ?? '', /Stay inside: high winds until 6 pm\./);
    t.regex(mail.text ?? '', new RegExp(`/alerts/${id}`));

    // The bell: one line for Bob, none emailed by the notifications plugin.
    const bell = await rt.db('notifications').where({ user_id: bob, kind: 'alerts.alert' });
    t.is(bell.length, 1);
    t.truthy(bell[0].emailed_at, 'the notifications plugin sends no email of its own');
    const list = await (await app.as('bob')).get('/notifications');
    t.regex(list.text, /Emergency: Storm warning/);

    // A reminder goes to those who have not answered: Bob answers, Carol and the admin are reminded.
    t.is((await (await app.as('bob')).post(`/alerts/${id}/answer`, { answer: 'safe' })).status, 303);
    const reminded = await sender.post(`/alerts/${id}/remind`);
    t.is(reminded.status, 303);
    await app.run(Date.now());
    const texts = await Promise.all(received.map(async (m) => ({ to: m.to[0], text: (await simpleParser(m.raw)).text ?? '' })));
    const reminders = texts.filter((m) => m.text.includes('Reminder: you have not answered'));
    t.deepEqual(reminders.map((m) => m.to).sort(), ['admin@example.com', 'carol@example.com']);
  } finally {
    await app.close();
  }
});
