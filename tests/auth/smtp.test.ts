/** Mail through a real SMTP server (smtp-server on 127.0.0.1) when the config says smtp. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { eachDatabase } from '../helpers/databases';
import { ADMIN, makeApp } from '../helpers/app';

eachDatabase('with mail.transport smtp, a reset link is delivered by SMTP, localised', async (t, db) => {
  const received: { from: string; to: string[]; raw: Buffer }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const app = await makeApp(db, {
    config: { mail: { transport: 'smtp', from: 'Ruche <ruche@example.com>', smtp: { host: '127.0.0.1', port, secure: false } } },
  });
  try {
    await app.app.ruche.users.setLocale(1, 'fr');
    const a = app.agent();
    const csrf = await a.csrf('/password/forgot'); // before building the POST: the agent attaches cookies when a request is created
    const res = await a.http.post('/password/forgot').type('form').send({ _csrf: csrf, email: ADMIN.email });
    t.is(res.status, 200);
    t.is(received.length, 1);
    t.deepEqual(received[0].to, [ADMIN.email]);
    t.is(received[0].from, 'ruche@example.com');
    const mail = await simpleParser(received[0].raw);
    t.regex(mail.subject ?? '', /Réinitialisez votre mot de passe/, 'in the member’s language');
    t.regex(mail.text ?? '', /\/password\/reset\?token=/);
    t.truthy(mail.html, 'an HTML part beside the plain text');
  } finally {
    await app.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
