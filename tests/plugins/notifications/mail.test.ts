// Emails: immediately (one per group, never twice), daily and weekly digests at the
// member's local time (controlled clock), localised with a plain-text part, signed
// unsubscribe links (valid, tampered, expired) and the access re-check at email time.
import { eachApp } from '../../helpers/each-app';
import { pathOf } from '../../helpers/mail';
import { nextDigestAt } from '../../../plugins/notifications/clock';
import { unsubscribeToken } from '../../../plugins/notifications/unsubscribe';
import { notifApp } from './support';
import { countRows } from '../../helpers/rows';

const HOUR = 3_600_000;

eachApp('an immediate email per group, localised, with a List-Unsubscribe header, sent once', notifApp, async (t, app, db) => {
  const { rt, root: networkId } = app;
  const [anna, bob] = await app.members('anna', 'bob');
  const zoe = await app.member('zoe', 'Zoé', 'fr');
  const post = await app.status(bob, 'Hello');
  await rt.hooks.emit('content:mentioned', { source: 'status', objectId: 0, networkId, entityId: post, actorId: anna, userId: zoe });
  await rt.hooks.emit('comments:created', {
    networkId,
    entityId: post,
    commentId: 0,
    authorId: anna,
    ownerId: bob,
    parentId: null,
    parentAuthorId: null,
  });
  t.is((await app.rows(bob)).length, 0, 'a comment that does not exist is not visible');
  t.is(await app.run(), 1);
  t.is(await app.run(), 0, 'nothing left to run');
  const [mail] = await app.mails('zoe@example.com');
  t.is(mail.subject, 'Anna vous a mentionné dans une publication');
  t.regex(mail.text, /Bonjour/);
  t.regex(mail.text, new RegExp(`/status/${post}`));
  t.regex(mail.text, /notifications\/unsubscribe\?token=/);
  t.truthy(mail.html);
  const raw = (await import('node:fs')).readFileSync((await import('node:path')).join(db.dataDir, 'mail', mail.file), 'utf8');
  t.regex(raw.replace(/\r?\n[ \t]+/g, ' '), /List-Unsubscribe:\s*<http[^>]+\/notifications\/unsubscribe\?token=[^>]+>/);
  t.regex(raw, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
  t.not((await app.rows(zoe))[0].emailed_at, null);
  // A job scheduled again for the same group sends nothing more.
  await rt.jobs.schedule('notifications.send', { userId: zoe, groupKey: `activity.mentioned:${post}` });
  await app.run();
  t.is((await app.mails('zoe@example.com')).length, 1, 'never twice');
});

eachApp('digests gather the day or week at the member’s local time; never means no email', notifApp, async (t, app) => {
  const { rt, root: networkId } = app;
  const [anna, bob, cleo, dan] = await app.members('anna', 'bob', 'cleo', 'dan');
  await app.setPref(bob, 'activity.mentioned', 'daily');
  await app.setPref(cleo, 'activity.mentioned', 'weekly');
  await app.setPref(dan, 'activity.mentioned', 'never');
  await rt.users.setTimeZone(bob, 'America/New_York'); // the account page's (core) zone
  const p1 = await app.status(anna, 'one');
  const p2 = await app.status(anna, 'two');
  for (const userId of [bob, cleo, dan]) {
    await rt.hooks.emit('content:mentioned', { source: 'status', objectId: 0, networkId, entityId: p1, actorId: anna, userId });
    await rt.hooks.emit('content:mentioned', { source: 'status', objectId: 0, networkId, entityId: p2, actorId: anna, userId });
  }
  const now = Date.now();
  t.is(await app.run(now), 0, 'nothing immediately');
  const bobJob = await rt.jobs.find('notifications.digest:' + bob + ':daily');
  t.truthy(bobJob);
  const bobAt = Number(bobJob!.run_at);
  t.is(bobAt, nextDigestAt(now, 'America/New_York', 8, 'daily'));
  t.is(
    new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', hourCycle: 'h23' }).format(new Date(bobAt)),
    '08',
    '8:00 in New York',
  );
  const cleoAt = Number((await rt.jobs.find('notifications.digest:' + cleo + ':weekly'))!.run_at);
  t.is(new Date(cleoAt).getUTCDay(), 1, 'weekly on Monday (UTC by default)');
  t.is(new Date(cleoAt).getUTCHours(), 8);
  t.falsy(await rt.jobs.find('notifications.digest:' + dan + ':daily'));
  await app.run(bobAt - 1000);
  t.is((await app.mails('bob@example.com')).length, 0, 'not before its time');
  await app.run(bobAt + 1000);
  const [digest] = await app.mails('bob@example.com');
  t.is(digest.subject, 'Test network: 2 new notifications');
  t.regex(digest.text, /Anna mentioned you in a post[\s\S]*Anna mentioned you in a post/);
  t.regex(digest.text, /Unsubscribe from notification emails/);
  await app.run(cleoAt + 1000);
  t.is((await app.mails('cleo@example.com')).length, 1);
  t.is((await app.mails('dan@example.com')).length, 0);
  // Read in the app before the digest: not emailed.
  const p3 = await app.status(anna, 'three');
  await rt.hooks.emit('content:mentioned', { source: 'status', objectId: 0, networkId, entityId: p3, actorId: anna, userId: bob });
  await rt.db('notifications').where({ user_id: bob }).update({ read_at: Date.now() });
  const next = Number((await rt.jobs.find('notifications.digest:' + bob + ':daily'))!.run_at);
  await app.run(next + 1000);
  t.is((await app.mails('bob@example.com')).length, 1);
});

eachApp('content that became secret before the email is built produces nothing', notifApp, async (t, app) => {
  const { rt, root: networkId } = app;
  const [anna, bob, cleo] = await app.members('anna', 'bob', 'cleo');
  await app.setPref(cleo, 'activity.mentioned', 'daily');
  const post = await app.status(anna, 'hi');
  await rt.hooks.emit('content:mentioned', { source: 'status', objectId: 0, networkId, entityId: post, actorId: anna, userId: bob });
  await rt.hooks.emit('content:mentioned', { source: 'status', objectId: 0, networkId, entityId: post, actorId: anna, userId: cleo });
  await rt.entities.update(post, { access: 'private' });
  await app.run(Date.now() + 8 * 24 * HOUR);
  t.deepEqual(await app.mails(), [], 'neither the immediate email nor the digest');
  t.is(await countRows(rt.db, 'jobs', { status: 'failed' }), 0);
});

eachApp('unsubscribe links: valid (no sign-in), tampered and expired', notifApp, async (t, app) => {
  const { rt, root: networkId } = app;
  const [anna, bob] = await app.members('anna', 'bob');
  const post = await app.status(anna, 'hi');
  await rt.hooks.emit('content:mentioned', { source: 'status', objectId: 0, networkId, entityId: post, actorId: anna, userId: bob });
  await app.run();
  const [mail] = await app.mails('bob@example.com');
  const link = /http\S+\/notifications\/unsubscribe\?token=\S+/.exec(mail.text)![0];
  const guest = app.agent();
  let res = await guest.http.get(pathOf(link));
  t.is(res.status, 200);
  t.regex(res.text, /Stop receiving emails for “Someone mentions me”/);
  const token = new URL(link).searchParams.get('token')!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(res.text)![1];
  res = await guest.http.post('/notifications/unsubscribe').type('form').send({ _csrf: csrf, token });
  t.is(res.status, 200);
  t.regex(res.text, /you will no longer receive/);
  t.is((await rt.db('notification_prefs').where({ user_id: bob, kind: 'activity.mentioned' }).first('frequency')).frequency, 'never');
  // One click from a mail client (RFC 8058): a POST to the header's address, no cookie, no CSRF token.
  await rt.db('notification_prefs').where({ user_id: bob }).delete();
  const request = (await import('supertest')).default;
  res = await request(app.app.callback()).post(pathOf(link)).type('form').send('List-Unsubscribe=One-Click');
  t.is(res.status, 200);
  t.is((await rt.db('notification_prefs').where({ user_id: bob, kind: 'activity.mentioned' }).first('frequency')).frequency, 'never');
  // Without the token, the same POST is refused (400), and other POSTs still need their CSRF token.
  res = await request(app.app.callback()).post('/notifications/unsubscribe').type('form').send('List-Unsubscribe=One-Click');
  t.is(res.status, 400);
  res = await request(app.app.callback()).post('/notifications/read-all').type('form').send({});
  t.is(res.status, 403);
  // Tampered: another member's id with Bob's signature.
  const [payload, sig] = token.split('.');
  const forged = Buffer.from(JSON.stringify([anna, 'activity.mentioned', JSON.parse(Buffer.from(payload, 'base64url').toString())[2]])).toString(
    'base64url',
  );
  res = await guest.http.get(`/notifications/unsubscribe?token=${forged}.${sig}`);
  t.is(res.status, 400);
  t.regex(res.text, /not valid/);
  res = await guest.http.get(`/notifications/unsubscribe?token=${token.slice(0, -2)}`);
  t.is(res.status, 400);
  // Expired.
  const old = unsubscribeToken(app.config.secret, bob, 'activity.mentioned', Date.now() - 1000);
  res = await guest.http.get(`/notifications/unsubscribe?token=${old}`);
  t.is(res.status, 400);
  t.regex(res.text, /has expired/);
  // In French for a French visitor.
  res = await guest.http.get(`/notifications/unsubscribe?token=${old}`).set('Accept-Language', 'fr');
  t.regex(res.text, /a expiré/);
  // The digest link unsubscribes from everything.
  const all = unsubscribeToken(app.config.secret, bob, '*', Date.now() + HOUR);
  const page = await guest.http.get(`/notifications/unsubscribe?token=${all}`);
  const csrf2 = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  res = await guest.http.post('/notifications/unsubscribe').type('form').send({ _csrf: csrf2, token: all });
  t.is(res.status, 200);
  t.true((await rt.db('notification_prefs').where({ user_id: bob }).pluck('frequency')).every((f: string) => f === 'never'));
  t.true((await countRows(rt.db, 'notification_prefs', { user_id: bob })) > 5);
});
