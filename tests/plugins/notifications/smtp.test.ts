// Sending survives a mail server outage: against a real SMTP server (smtp-server on
// 127.0.0.1) that first refuses, then is down, the send job fails and is retried with
// backoff by the job runner; once the server takes mail, the email goes out exactly once.
import { simpleParser } from 'mailparser';
import { backoffMs } from '../../../core';
import { eachDatabase } from '../../helpers/databases';
import { smtpConfig, smtpServer, type SmtpMessage } from '../../helpers/smtp';
import { notifApp } from './support';

eachDatabase('a failed SMTP send is retried with backoff and delivered once', async (t, db) => {
  const received: Buffer[] = [];
  let refuse = true;
  const receive = (message: SmtpMessage): Error | void => {
    if (refuse) return Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 });
    received.push(message.raw);
  };
  let server = await smtpServer(receive);
  const port = server.port;
  const app = await notifApp(db, smtpConfig(port));
  const { rt, root: networkId } = app;
  try {
    const anna = await app.member('anna', 'Anna');
    const bob = await app.member('bob', 'Bob');
    const post = await app.status(anna, 'hi');
    await rt.hooks.emit('content:mentioned', { source: 'status', objectId: 0, networkId, entityId: post, actorId: anna, userId: bob });
    const t0 = Date.now();
    t.is(await app.run(t0), 1);
    let job = (await rt.db('jobs').where({ kind: 'notifications.send' }).first())!;
    t.is(job.status, 'pending', 'failed, to be retried');
    t.is(Number(job.attempts), 1);
    t.is(Number(job.run_at), t0 + backoffMs(1));
    t.regex(job.last_error, /451|busy/i);
    t.is((await app.rows(bob))[0].emailed_at, null, 'the claim was given back');
    t.is(await app.run(t0 + 1000), 0, 'not before the backoff');
    // Second attempt: the server is down altogether.
    refuse = false;
    await server.close();
    t.is(await app.run(t0 + backoffMs(1)), 1);
    job = (await rt.db('jobs').where({ kind: 'notifications.send' }).first())!;
    t.is(Number(job.attempts), 2);
    t.is(Number(job.run_at), t0 + backoffMs(1) + backoffMs(2), 'backoff grows');
    // The server is back: delivered once, and never again.
    server = await smtpServer(receive, port);
    t.is(await app.run(t0 + backoffMs(1) + backoffMs(2)), 1);
    t.is(received.length, 1);
    const mail = await simpleParser(received[0]);
    t.is(mail.subject, 'Anna mentioned you in a post');
    t.truthy(mail.text);
    t.regex(received[0].toString('utf8').replace(/\r?\n[ \t]+/g, ' '), /List-Unsubscribe:\s*<http[^>]+unsubscribe\?token=/);
    job = (await rt.db('jobs').where({ kind: 'notifications.send' }).first())!;
    t.is(job.status, 'done');
    await rt.jobs.schedule('notifications.send', { userId: bob, groupKey: `activity.mentioned:${post}` });
    await app.run(t0 + 10 * 3_600_000);
    t.is(received.length, 1, 'nothing is sent twice');
  } finally {
    await app.close();
    await server.close();
  }
});
