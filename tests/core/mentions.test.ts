// Mentions and hashtags through the core contract, for every kind of content written through
// the real forms (status, comment, blog post, topic, reply): links in the page (code and
// existing links stay inert), one notification per newly mentioned member who may see the
// text (none for a member who cannot, none between blocked members, none again on edit), and
// hashtags on the tag page for the viewers who may see the content.
import { eachApp } from '../helpers/each-app';
import { notifApp, type NotifApp } from '../plugins/notifications/support';

const idFrom = (location: string, re: RegExp): number => Number(re.exec(location)![1]);

/** Writes one text of each kind as `author`, at `access`; returns where each is shown. */
async function writeAll(app: NotifApp, author: string, body: string, access: string) {
  const a = await app.as(author);
  // Topics take no friends level: one for members, hidden at that level once started.
  const topicAccess = access === 'friends' ? 'members' : access;
  let res = await a.post('/status', { body, access });
  const status = idFrom(res.headers.location, /\/status\/(\d+)/);
  res = await a.post('/blogs', { title: 'A post', body, access, status: 'published', tags: '' });
  const blog = idFrom(res.headers.location, /\/blogs\/(\d+)/);
  res = await a.post('/discussions', { title: 'A topic', body: access === topicAccess ? body : 'Hello', access: topicAccess, tags: '' });
  const topic = idFrom(res.headers.location, /\/discussions\/(\d+)$/);
  if (access !== topicAccess) await app.rt.entities.update(topic, { access: access as never });
  res = await a.post(`/discussions/${topic}/replies`, { body });
  t_ok(res.status, 303);
  const reply = Number((await app.rt.db('discussion_replies').where({ topic_id: topic }).max({ id: 'id' }).first())!.id);
  res = await a.post(`/entities/${blog}/comments`, { body });
  const comment = idFrom(res.headers.location, /comment-(\d+)/);
  return { status, blog, topic, reply, comment };
}

function t_ok(actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`expected ${expected}, got ${actual}`);
}

const BODY = 'Thanks @bob for #Launch, not `@cleo #code` nor [@dan](https://example.org)';

eachApp('every kind of content links mentions and hashtags, and notifies once whom it mentions', notifApp, async (t, app) => {
  const [anna, bob, cleo, dan] = await app.members('anna', 'bob', 'cleo', 'dan');
  const w = await writeAll(app, 'anna', BODY, 'members');
  const kinds = (await app.rows(bob)).map((r) => [r.kind, r.entity_id, r.object_id]);
  t.deepEqual(kinds, [
    ['activity.mentioned', w.status, null],
    ['blogs.mentioned', w.blog, null],
    ['discussions.mentioned', w.topic, null],
    ['discussions.mentioned', w.topic, w.reply],
    ['comments.mentioned', w.blog, w.comment],
  ]);
  // A status post is plain text (no code, no Markdown links): there, every @name counts.
  t.deepEqual(
    (await app.rows(cleo)).map((r) => r.kind),
    ['activity.mentioned'],
    'a mention in Markdown code is no mention',
  );
  t.deepEqual(
    (await app.rows(dan)).map((r) => r.kind),
    ['activity.mentioned'],
    'a mention inside a Markdown link is no mention',
  );
  t.deepEqual(await app.rows(anna), []);
  const b = await app.as('bob');
  const status = (await b.agent.http.get(`/status/${w.status}`)).text;
  t.true(status.includes('<a class="mention" href="/people/bob">@bob</a>'));
  t.true(status.includes('<a class="hashtag" href="/tags/launch">#Launch</a>'));
  for (const [page, n] of [
    [`/blogs/${w.blog}`, 2],
    [`/discussions/${w.topic}`, 2],
  ] as const) {
    const html = (await b.agent.http.get(page)).text;
    t.is(html.match(/<a class="mention" href="\/people\/bob">@bob<\/a>/g)?.length, n, page);
    t.true(html.includes('<a class="hashtag" href="/tags/launch">#Launch</a>'), page);
    t.true(html.includes('<code>@cleo #code</code>'), `${page}: code stays inert`);
    t.false(html.includes('href="/people/cleo"'), page);
    t.false(html.includes('href="/people/dan"'), page);
  }
  // Each line opens the text; French wording.
  const rows = await app.rows(bob);
  t.is((await b.agent.http.get(`/notifications/${rows[4].id}/open`)).headers.location, `/blogs/${w.blog}#comment-${w.comment}`);
  t.is((await b.agent.http.get(`/notifications/${rows[3].id}/open`)).headers.location, `/discussions/replies/${w.reply}`);
  const list = (await b.agent.http.get('/notifications')).text;
  for (const where of ['a comment', 'a blog post', 'a discussion', 'a post'])
    t.true(list.includes(`Anna mentioned you in ${where}`) || list.includes(`Anna</strong> mentioned you in ${where}`), where);
  // Editing keeps Bob (no second notification) and adds Cleo (one).
  const a = await app.as('anna');
  t.is((await a.post(`/comments/${w.comment}/edit`, { body: `${BODY} and @cleo` })).status, 303);
  t.is((await app.rows(bob)).length, 5);
  t.deepEqual(
    (await app.rows(cleo)).map((r) => r.kind),
    ['activity.mentioned', 'comments.mentioned'],
  );
});

eachApp('no notification for a member who cannot see the text, nor between blocked members', notifApp, async (t, app) => {
  const [anna, bob, cleo] = await app.members('anna', 'bob', 'cleo');
  // Friends only: Bob is not Anna's connection.
  await writeAll(app, 'anna', 'Hello @bob', 'friends');
  t.deepEqual(await app.rows(bob), []);
  // Cleo blocks Anna: mentions either way are dropped.
  await app.rt.db('member_blocks').insert({ blocker_id: cleo, blocked_id: anna, created_at: Date.now() });
  await writeAll(app, 'anna', 'Hello @cleo', 'members');
  t.deepEqual(await app.rows(cleo), []);
  t.is(Number((await app.rt.db('content_mentions').where({ user_id: cleo }).count({ n: '*' }).first())!.n), 0);
});

eachApp('hashtags of blog posts and topics reach the tag page, for the viewers who may see them', notifApp, async (t, app) => {
  await app.members('anna', 'bob', 'cleo');
  const a = await app.as('anna');
  let res = await a.post('/blogs', { title: 'Open post', body: 'About #rocket', access: 'members', status: 'published', tags: '' });
  const open = idFrom(res.headers.location, /\/blogs\/(\d+)/);
  res = await a.post('/blogs', { title: 'Secret post', body: 'Also #rocket', access: 'friends', status: 'published', tags: '' });
  const secret = idFrom(res.headers.location, /\/blogs\/(\d+)/);
  res = await a.post('/discussions', { title: 'Rocket talk', body: 'Launch day #Rocket', access: 'members', tags: '' });
  const topic = idFrom(res.headers.location, /\/discussions\/(\d+)/);
  t.deepEqual((await app.rt.entities.tagsOf([open, secret, topic])).get(topic), ['rocket']);
  const b = await app.as('bob');
  const page = (await b.agent.http.get('/tags/rocket')).text;
  t.true(page.includes('Open post'));
  t.true(page.includes('Rocket talk'));
  t.false(page.includes('Secret post'), 'a friends-only post stays hidden from a stranger');
  const mine = (await a.agent.http.get('/tags/rocket')).text;
  t.true(mine.includes('Secret post'), 'its author sees it');
});
