// The notifications page: grouped lines ("Anna and 4 others reacted to your post"), the bell's
// unread count in the header, mark read / all read, and the access re-check when shown.
import { setPhotoKey } from '../../../core';
import { eachApp } from '../../helpers/each-app';
import { notifApp } from './support';

eachApp('five likes show as one line, the bell counts unread lines, read marks clear it', notifApp, async (t, app) => {
  const { rt, root: networkId } = app;
  const owner = await app.member('olga', 'Olga');
  const names = ['Bruno', 'Chen', 'Dora', 'Emil', 'Anna'];
  const ids: number[] = [];
  for (const n of names) ids.push(await app.member(n.toLowerCase(), n));
  const post = await app.status(owner, 'My post');
  const other = await app.status(owner, 'Another');
  for (const userId of ids)
    await rt.hooks.emit('likes:reacted', { networkId, entityId: post, userId, ownerId: owner, reaction: 'like', previous: null });
  await rt.hooks.emit('likes:reacted', { networkId, entityId: other, userId: ids[0], ownerId: owner, reaction: 'like', previous: null });
  const o = await app.as('olga');
  let res = await o.agent.http.get('/notifications');
  t.is(res.status, 200);
  t.regex(res.text, /Anna and 4 others reacted to your post/, 'latest actor first, others counted');
  t.regex(res.text, /Bruno reacted to your post/);
  // Each line shows its latest actor's picture, the one the header and the feed show (issue 27 item 3).
  const anna = ids[4];
  t.regex(res.text, new RegExp(`<img class="notification__avatar" src="/avatars/${anna}/initials.svg"`));
  await setPhotoKey(rt.db, anna, 'abcdefabcdefabcdef01');
  t.regex(
    (await o.agent.http.get('/notifications')).text,
    new RegExp(`<img class="notification__avatar" src="/avatars/${anna}/abcdefabcdefabcdef01-64.jpg"`),
  );
  t.is((res.text.match(/class="notification notification--unread"/g) ?? []).length, 2);
  t.regex(res.text, /data-indicator="notifications" aria-label="Notifications, 2 unread"/);
  t.regex(res.text, /<span class="indicator__badge" data-count="2">2<\/span>/);
  // Mark the first line read, then everything.
  const first = (await app.rows(owner)).find((r) => r.entity_id === post)!;
  res = await o.post(`/notifications/${first.id}/read`);
  t.is(res.status, 303);
  t.true(
    (await app.rows(owner)).filter((r) => r.entity_id === post).every((r) => r.read_at !== null),
    'the whole group',
  );
  res = await o.agent.http.get('/notifications');
  t.regex(res.text, /data-count="1">1</);
  res = await o.post('/notifications/read-all');
  t.is(res.status, 303);
  res = await o.agent.http.get('/notifications');
  t.notRegex(res.text, /indicator__badge/);
  t.notRegex(res.text, /notification--unread/);
  // French.
  await rt.users.setLocale(owner, 'fr');
  res = await o.agent.http.get('/notifications');
  t.regex(res.text, /Anna et 4 autres personnes ont réagi à votre publication/);
  // Guests have no bell and the page asks to sign in.
  const guest = await app.agent().http.get('/notifications');
  t.not(guest.status, 200);
});

eachApp('content that became secret after the event is not shown, and its line does not count', notifApp, async (t, app) => {
  const { rt, root: networkId } = app;
  const anna = await app.member('anna', 'Anna');
  const bob = await app.member('bob', 'Bob');
  const post = await app.status(anna, 'Hi @bob');
  await rt.hooks.emit('content:mentioned', { source: 'status', objectId: 0, networkId, entityId: post, actorId: anna, userId: bob });
  const b = await app.as('bob');
  let res = await b.agent.http.get('/notifications');
  t.regex(res.text, /Anna mentioned you in a post/);
  await rt.entities.update(post, { access: 'private' });
  res = await b.agent.http.get('/notifications');
  t.notRegex(res.text, /Anna mentioned you/);
  t.regex(res.text, /Nothing new/);
  const [row] = await app.rows(bob);
  t.not(row.read_at, null, 'hidden lines are settled so the bell does not count them');
  res = await b.agent.http.get(`/notifications/${row.id}/open`);
  t.is(res.status, 404, 'opening it reveals nothing');
  t.false(res.text.includes('Hi @bob'));
});

eachApp('preferences page saves per-kind choices and names the account’s time zone; admins set the defaults', notifApp, async (t, app) => {
  const bob = await app.member('bob', 'Bob');
  const b = await app.as('bob');
  let res = await b.agent.http.get('/notifications/settings');
  t.is(res.status, 200);
  t.regex(res.text, /Reactions to my content/);
  t.regex(res.text, /Digests arrive around 8:00 in your time zone, UTC/);
  t.regex(res.text, /href="\/account#account-zone"/);
  await app.rt.users.setTimeZone(bob, 'Europe/Paris');
  t.regex((await b.agent.http.get('/notifications/settings')).text, /in your time zone, Europe\/Paris/);
  res = await b.post('/notifications/settings', { freq_likes__reacted: 'weekly', freq_activity__mentioned: 'never' });
  t.is(res.status, 303);
  t.deepEqual(
    Object.fromEntries([
      ...(await app.rt.container.resolve((await import('../../../plugins/notifications/service')).NotificationsService).prefs(bob)),
    ]),
    { 'likes.reacted': 'weekly', 'activity.mentioned': 'never' },
  );
  res = await b.post('/notifications/settings', { freq_likes__reacted: 'hourly' });
  t.is(res.status, 400);
  t.regex(res.text, /Choose immediately, daily digest/);
  // Members may not set the defaults; admins may.
  t.is((await b.agent.http.get('/notifications/defaults')).status, 403);
  const admin = app.agent();
  await admin.login('admin', 'correct horse battery');
  const token = await admin.csrf('/notifications/defaults');
  res = await admin.http.post('/notifications/defaults').type('form').send({ _csrf: token, freq_comments__created: 'daily' });
  t.is(res.status, 303);
  res = await b.agent.http.get('/notifications/settings');
  t.regex(res.text, /Network default: Daily digest/);
});
