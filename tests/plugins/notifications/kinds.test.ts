// Every built-in kind: the event reaches the right member once, links to the item, and the
// rules hold (never one's own acts, never a suspended or blocking member, never what the
// recipient cannot see). A later plugin registers its own kind through the registry.
import { eachApp } from '../../helpers/each-app';
import { notifApp } from './support';

eachApp('mentions, comments, replies and likes through the real forms notify the right member', notifApp, async (t, app) => {
  const anna = await app.member('anna', 'Anna Karenina');
  const bob = await app.member('bob', 'Bob Dylan');
  const a = await app.as('anna');
  const b = await app.as('bob');
  // Anna mentions Bob (and herself: never notified of her own act).
  let res = await a.post('/status', { body: 'Hello @bob and @anna', access: 'members' });
  t.is(res.status, 303);
  const postId = Number(/\/status\/(\d+)/.exec(res.headers.location)![1]);
  t.deepEqual(
    (await app.rows(bob)).map((r) => [r.kind, r.actor_id, r.entity_id]),
    [['activity.mentioned', anna, postId]],
  );
  t.deepEqual(await app.rows(anna), []);
  // Bob comments on Anna's post, likes it; Anna replies to Bob's comment.
  res = await b.post(`/entities/${postId}/comments`, { body: 'Nice one' });
  t.is(res.status, 303);
  const commentId = Number(/comment-(\d+)/.exec(res.headers.location)![1]);
  res = await b.post(`/entities/${postId}/react`, { reaction: 'like' });
  t.is(res.status, 303);
  await b.post(`/entities/${postId}/react`, { reaction: 'love' }); // a change is not news
  res = await a.post(`/entities/${postId}/comments`, { body: 'Thanks', parent: String(commentId) });
  t.is(res.status, 303);
  t.deepEqual(
    (await app.rows(anna)).map((r) => r.kind),
    ['comments.created', 'likes.reacted'],
  );
  const bobRows = await app.rows(bob);
  t.deepEqual(
    bobRows.map((r) => r.kind),
    ['activity.mentioned', 'comments.replied'],
  );
  t.is(bobRows[1].group_key, `comments.replied:${commentId}`);
  // Each line opens its item.
  const annaRows = await app.rows(anna);
  res = await a.agent.http.get(`/notifications/${annaRows[0].id}/open`);
  t.is(res.status, 303);
  t.regex(res.headers.location, new RegExp(`^/status/${postId}#comment-${commentId}$`));
  res = await b.agent.http.get(`/notifications/${bobRows[0].id}/open`);
  t.is(res.headers.location, `/status/${postId}`);
  t.not((await app.rows(bob))[0].read_at, null, 'opening marks it read');
  // Another member's notification is not found.
  res = await a.agent.http.get(`/notifications/${bobRows[0].id}/open`);
  t.is(res.status, 404);
  t.regex(res.text, /no longer available/);
});

eachApp('connections, groups, discussions, blogs and announcements notify the right members', notifApp, async (t, app) => {
  const { rt, root: networkId } = app;
  const [anna, bob, cleo] = await app.members('anna', 'bob', 'cleo');
  await rt.hooks.emit('connections:requested', { networkId, fromId: anna, toId: bob });
  await rt.hooks.emit('connections:accepted', { networkId, fromId: bob, toId: anna });
  // A group where Cleo is admin; Anna asks to join, Cleo invites Bob then approves Anna.
  const group = await app.entity('group', cleo, 'group');
  await rt.db('container_members').insert({ container_id: group, user_id: cleo, role: 'admin', created_at: Date.now() });
  await rt.db('entities').where({ id: group }).update({ container_id: group });
  await rt.hooks.emit('groups:requested', { networkId, groupId: group, userId: anna });
  await rt.hooks.emit('groups:invited', { networkId, groupId: group, userId: bob, byId: cleo });
  await rt.db('container_members').insert({ container_id: group, user_id: anna, role: 'member', created_at: Date.now() });
  await rt.hooks.emit('groups:approved', { networkId, groupId: group, userId: anna, byId: cleo });
  // A topic Bob follows; Anna replies; Bob marks Anna's reply as the answer.
  const topic = await app.entity('topic', bob, 'members');
  const [reply] = await rt
    .db('discussion_replies')
    .insert({ topic_id: topic, position: 1, author_id: anna, body: 'x', body_html: '<p>x</p>', created_at: Date.now() })
    .returning('id');
  const replyId = Number(typeof reply === 'object' ? reply.id : reply);
  await rt.hooks.emit('discussions:replied', { networkId, topicId: topic, replyId, authorId: anna, subscriberIds: [bob, anna] });
  await rt.hooks.emit('discussions:answered', { networkId, topicId: topic, replyId, authorId: anna, byId: bob });
  // Cleo follows Anna, who publishes a blog post; Cleo's status is pinned as an announcement.
  await rt.db('follows').insert({ follower_id: cleo, followee_id: anna, created_at: Date.now() });
  const blog = await app.entity('blog_post', anna, 'members');
  await rt.hooks.emit('blogs:published', { networkId, entityId: blog, authorId: anna });
  const news = await app.status(cleo, 'Big news');
  await rt.hooks.emit('activity:announced', { networkId, entityId: news, until: Date.now() + 86_400_000 });

  t.deepEqual(
    (await app.rows(bob)).map((r) => r.kind),
    ['connections.requested', 'groups.invited', 'discussions.replied', 'activity.announced'],
  );
  t.deepEqual(
    (await app.rows(anna)).map((r) => r.kind),
    ['connections.accepted', 'groups.approved', 'discussions.answered', 'activity.announced'],
  );
  t.deepEqual(
    (await app.rows(cleo)).map((r) => r.kind),
    ['groups.requested', 'blogs.published'],
  );
  const admin = (await app.rows(1)).map((r) => r.kind);
  t.deepEqual(admin, ['activity.announced'], 'every member gets the announcement, not its author');

  // Links, re-checked for the recipient.
  const a = await app.as('anna');
  const b = await app.as('bob');
  const c = await app.as('cleo');
  const open = async (m: typeof a, id: number): Promise<string> => (await m.agent.http.get(`/notifications/${id}/open`)).headers.location;
  const [req, inv, rep, ann] = await app.rows(bob);
  t.is(await open(b, req.id), '/connections');
  t.is(await open(b, inv.id), `/groups/${group}`, 'an invitation links to the group, even secret');
  t.is(await open(b, rep.id), rt.routes.build('discussions.reply.view', { id: replyId }));
  t.is(await open(b, ann.id), `/status/${news}`);
  const [acc, appr] = await app.rows(anna);
  t.is(await open(a, acc.id), '/people/bob');
  t.is(await open(a, appr.id), `/groups/${group}`);
  const [grq, pub] = await app.rows(cleo);
  t.is(await open(c, grq.id), `/groups/${group}/members`);
  t.is(await open(c, pub.id), `/blogs/${blog}`);
});

eachApp('never a suspended member, a member who blocks the actor, or an item they cannot see', notifApp, async (t, app) => {
  const { rt, root: networkId } = app;
  const [anna, bob, cleo, dan] = await app.members('anna', 'bob', 'cleo', 'dan');
  // Blocks: the messages plugin answers `notifications:blocked`.
  rt.hooks.addFilter('notifications:blocked', (value, c) => value || (c.recipientId === dan && c.actorId === anna));
  await rt.users.setStatus(cleo, 'suspended');
  const post = await app.status(anna, 'hi', 'members');
  const secret = await app.status(anna, 'only me', 'private');
  for (const userId of [bob, cleo, dan, anna])
    await rt.hooks.emit('content:mentioned', { source: 'status', objectId: 0, networkId, entityId: post, actorId: anna, userId });
  await rt.hooks.emit('content:mentioned', { source: 'status', objectId: 0, networkId, entityId: secret, actorId: anna, userId: bob });
  t.is((await app.rows(bob)).length, 1, 'only the post Bob can see');
  t.deepEqual(await app.rows(cleo), [], 'suspended');
  t.deepEqual(await app.rows(dan), [], 'blocks the actor');
  t.deepEqual(await app.rows(anna), [], 'own act');
  // Dan still hears from others.
  await rt.hooks.emit('likes:reacted', {
    networkId,
    entityId: await app.status(dan, 'mine'),
    userId: bob,
    ownerId: dan,
    reaction: 'like',
    previous: null,
  });
  t.is((await app.rows(dan)).length, 1);
});

eachApp('a later plugin registers its own kind through the registry and notifies with an event', notifApp, async (t, app) => {
  const { rt, root: networkId } = app;
  const [anna, bob] = await app.members('anna', 'bob');
  rt.hooks.addFilter('notifications:kinds', (kinds) => [
    ...kinds,
    {
      id: 'messages.received',
      label: 'notifications.page.title',
      sentence: 'activity.notifications.mentioned.sentence',
      defaultFrequency: 'never',
      resolve: async (_rt, n) => ({ href: `/messages/${n.objectId}` }),
    },
  ]);
  await rt.hooks.emit('notifications:notify', {
    networkId,
    kind: 'messages.received',
    userId: bob,
    actorId: anna,
    objectId: 7,
    groupKey: `messages:${anna}`,
  });
  await rt.hooks.emit('notifications:notify', { networkId, kind: 'messages.unknown', userId: bob, actorId: anna });
  const rows = await app.rows(bob);
  t.deepEqual(
    rows.map((r) => r.kind),
    ['messages.received'],
    'unknown kinds are dropped',
  );
  t.not(rows[0].emailed_at, null, 'its default is never: nothing to email');
  const b = await app.as('bob');
  t.is((await b.agent.http.get(`/notifications/${rows[0].id}/open`)).headers.location, '/messages/7');
  const settings = await b.agent.http.get('/notifications/settings');
  t.regex(settings.text, /name="freq_messages__received"/, 'offered on the preferences page');
});
