// New direct messages reach members who are away by email (issue 27), through a real SMTP
// server: one email per conversation once it quiets down, none for what was read in time,
// none for someone no longer in it or who blocks the writer, and as each member chose
// (immediately, in the daily digest, never).
import test from 'ava';
import { simpleParser } from 'mailparser';
import { eachDatabase } from '../../helpers/databases';
import { smtpConfig, smtpServer } from '../../helpers/smtp';
import { msgApp, type MsgApp } from './support';

void test;

const MINUTE = 60_000;

async function withMail(
  db: Parameters<typeof msgApp>[0],
  fn: (app: MsgApp, mails: () => Promise<{ to: string; subject: string; text: string }[]>) => Promise<void>,
) {
  const raw: { to: string[]; raw: Buffer }[] = [];
  const server = await smtpServer((m) => void raw.push({ to: m.to, raw: m.raw }));
  const app = await msgApp(db, { config: smtpConfig(server.port) });
  try {
    await fn(app, async () =>
      Promise.all(
        raw.map(async (m) => {
          const parsed = await simpleParser(m.raw);
          return { to: m.to.join(','), subject: parsed.subject ?? '', text: parsed.text ?? '' };
        }),
      ),
    );
  } finally {
    await app.close();
    await server.close();
  }
}

const run = (app: MsgApp, at: number) => app.rt.jobs.runDue({ now: at });

eachDatabase('away by email: one email per conversation once it quiets down, after the delay, with its link; none when read in time', (t, db) =>
  withMail(db, async (app, mails) => {
    const alice = await app.member('alice', 'Alice Liddell');
    const bob = await app.member('bob', 'Bob Marley');
    await app.member('carol', 'Carol Danvers');
    const id = await app.start(alice, ['bob'], 'Lunch at noon?');
    const v = await app.viewer(alice);
    await app.service.send(v, 1, id, 'Or at one?');
    await app.service.send(v, 1, id, 'Tell me!');
    const t0 = Date.now();
    await run(app, t0 + 5 * MINUTE);
    t.deepEqual(await mails(), [], 'not before the delay');
    await run(app, t0 + 11 * MINUTE);
    await run(app, t0 + 11 * MINUTE);
    const sent = await mails();
    t.is(sent.length, 1, 'three messages, one email');
    t.is(sent[0].to, 'bob@example.com');
    t.regex(sent[0].subject, /Alice Liddell wrote to you/);
    t.regex(sent[0].text, new RegExp(`/messages/${id}`));
    // The email quotes what Bob has not read, oldest first, so he can read it there.
    t.regex(sent[0].text, /Lunch at noon\?\n+Or at one\?\n+Tell me!/, 'one line each');
    // Carol (not in it) got nothing; Alice (the writer) neither.
    t.false(sent.some((m) => /carol|alice/.test(m.to)));
    // The email's line waits in Bob's notifications, unread, until he opens the conversation.
    const bobHttp = (await app.as('bob')).agent.http;
    const line = () =>
      app.rt
        .db('notifications')
        .where({ group_key: `messages.received:${id}` })
        .first('user_id', 'read_at');
    t.like(await line(), { user_id: bob, read_at: null });
    t.regex((await bobHttp.get('/messages')).text, /Notifications, 1 unread/);
    await bobHttp.get(`/messages/${id}`);
    t.truthy((await line())?.read_at, 'opening the conversation reads its notification');
    t.notRegex((await bobHttp.get('/messages')).text, /Notifications, 1 unread/);
    // Bob reads the next one in time: no email.
    const next = await app.start(alice, ['bob'], 'Thanks, see you');
    await bobHttp.get(`/messages/${next}`);
    await run(app, t0 + 30 * MINUTE);
    t.is((await mails()).length, 1, 'read in time: nothing more');
    // In French for a French member.
    await app.rt.db('users').where({ username: 'carol' }).update({ locale: 'fr' });
    await app.start(alice, ['carol'], 'Bonjour Carol');
    await run(app, t0 + 60 * MINUTE);
    await run(app, t0 + 60 * MINUTE);
    const fr = (await mails()).find((m) => m.to === 'carol@example.com');
    t.regex(fr?.subject ?? '', /Alice Liddell vous a écrit/);
  }),
);

eachDatabase('away by email: per the member’s choice, never to someone who left or blocks the writer', (t, db) =>
  withMail(db, async (app, mails) => {
    const alice = await app.member('alice', 'Alice Liddell');
    await app.member('bob', 'Bob Marley');
    const carol = await app.member('carol', 'Carol Danvers');
    await app.member('dave', 'Dave Grohl');
    // Bob chose "never" on his notification settings; Dave the daily digest.
    const bobAgent = await app.as('bob');
    const page = (await bobAgent.agent.http.get('/notifications/settings')).text;
    t.regex(page, /New private messages I have not read/);
    t.is((await app.form('bob', '/notifications/settings', { freq_messages__received: 'never' })).status, 303);
    t.is((await app.form('dave', '/notifications/settings', { freq_messages__received: 'daily' })).status, 303);
    const group = await app.start(alice, ['bob', 'carol', 'dave'], 'Team news');
    // Carol leaves before the email would go.
    t.is((await app.form('carol', `/messages/${group}/leave`)).status, 303);
    const t0 = Date.now();
    await run(app, t0 + 11 * MINUTE);
    await run(app, t0 + 11 * MINUTE);
    t.deepEqual(
      (await mails()).map((m) => m.to),
      [],
      'never for Bob, nothing for Carol who left, Dave waits for his digest',
    );
    await run(app, t0 + 2 * 24 * 60 * MINUTE);
    const digest = await mails();
    t.deepEqual(
      digest.map((m) => m.to),
      ['dave@example.com'],
    );
    t.regex(digest[0].text, /Alice Liddell wrote to you/);
    t.regex(digest[0].text, /Alice Liddell: Team news/, 'a group conversation names who wrote');
    // A member who blocks the writer hears nothing.
    const direct = await app.start(alice, ['carol'], 'Are you there?');
    t.is((await app.form('carol', '/messages/block/alice')).status, 303);
    await run(app, t0 + 3 * 24 * 60 * MINUTE);
    t.false((await mails()).some((m) => m.to === 'carol@example.com'));
    t.true(direct > 0 && carol > 0);
  }),
);
