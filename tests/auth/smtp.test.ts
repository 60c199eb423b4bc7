/** Mail through a real SMTP server (smtp-server on 127.0.0.1) when the config says smtp. */
import { simpleParser } from 'mailparser';
import { eachDatabase } from '../helpers/databases';
import { ADMIN, makeApp } from '../helpers/app';
import { smtpConfig, smtpServer, type SmtpMessage } from '../helpers/smtp';

eachDatabase('with mail.transport smtp, a reset link is delivered by SMTP, localised', async (t, db) => {
  const received: SmtpMessage[] = [];
  const server = await smtpServer((message) => void received.push(message));
  const app = await makeApp(db, { config: smtpConfig(server.port) });
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
    await server.close();
  }
});
