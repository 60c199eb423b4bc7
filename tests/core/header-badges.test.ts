// The header's badges (unread messages, unread notifications) are read on every page by
// prepared statements (core/db/statements.ts): nothing is kept in the process, so a message
// or a notification written by another app instance on the same database shows on the next
// page a member loads from this one, and reading it there clears the badge here.
import { createApp } from '../../core';
import { MessagesService } from '../../plugins/messages/service';
import { makeAgent } from '../helpers/app';
import { eachApp } from '../helpers/each-app';
import { MEMBER_PASSWORD } from '../helpers/members';
import { notifApp } from '../plugins/notifications/support';

const badge = (html: string, id: string): string | null =>
  new RegExp(`data-indicator="${id}"[^>]*>(?:(?!</a>)[\\s\\S])*?<span class="indicator__badge" data-count="(\\d+)"`).exec(html)?.[1] ?? null;

eachApp('a message and a notification written by another app instance show in the header badges here', notifApp, async (t, app) => {
  const rt = app.app.ruche;
  const olga = await app.member('olga', 'Olga');
  const bruno = await app.member('bruno', 'Bruno');
  const other = await createApp(app.config, { cwd: app.config.dataDir });
  try {
    const here = makeAgent(app.app);
    await here.login('olga', MEMBER_PASSWORD);
    let page = (await here.http.get('/account')).text;
    t.true(page.includes('data-indicator="messages"') && page.includes('data-indicator="notifications"'));
    t.is(badge(page, 'messages'), null);
    t.is(badge(page, 'notifications'), null);

    // Bruno writes to Olga and likes her post, through the other instance.
    const ort = other.ruche;
    const brunoViewer = (await ort.users.viewer(bruno))!;
    const conversation = (await ort.container.resolve(MessagesService).start(brunoViewer, ort.networks.root().id, ['olga'], '', 'hello'))
      .conversationId;
    const post = await app.status(olga, 'My post');
    await ort.hooks.emit('likes:reacted', {
      networkId: ort.networks.root().id,
      entityId: post,
      userId: bruno,
      ownerId: olga,
      reaction: 'like',
      previous: null,
    });

    page = (await here.http.get('/account')).text;
    t.is(badge(page, 'messages'), '1');
    t.is(badge(page, 'notifications'), '1');
    t.regex(page, /aria-label="Messages, 1 unread conversation"/);

    // Olga reads both on the other instance: the badges go here too.
    const there = makeAgent(other);
    await there.login('olga', MEMBER_PASSWORD);
    t.is((await there.http.get(`/messages/${conversation}`)).status, 200);
    const token = await there.csrf('/notifications');
    t.is((await there.http.post('/notifications/read-all').type('form').send({ _csrf: token })).status, 303);
    page = (await here.http.get('/account')).text;
    t.is(badge(page, 'messages'), null);
    t.is(badge(page, 'notifications'), null);
    t.is(rt.networks.root().id, ort.networks.root().id);
  } finally {
    await other.close();
  }
});
