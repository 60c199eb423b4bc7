// Status posts: posting through the form, mentions and hashtags rendered as links, editing,
// deleting, validation errors (kept input, localised), and the mention hook.
import { eachActApp } from './support';

eachActApp('a status with a mention, a hashtag and a link; the mention hook fires once', async (t, app) => {
  const aliceId = await app.member('alice', 'Alice Martin');
  const bobId = await app.member('bob', 'Bob Durand');
  const mentioned: unknown[] = [];
  app.rt.hooks.on('content:mentioned', (p) => void mentioned.push(p));
  const id = await app.post('alice', 'Hello @bob and @nobody, see https://example.org/a?b=1. #Launch #été <script>x</script>');
  t.deepEqual(mentioned, [{ networkId: 1, entityId: id, objectId: 0, actorId: aliceId, userId: bobId, source: 'status' }]);
  t.deepEqual((await app.rt.entities.tagsOf([id])).get(id), ['launch', 'été']);
  const bob = await app.as('bob');
  const page = await bob.agent.http.get(`/status/${id}`);
  t.is(page.status, 200);
  t.regex(page.text, /<a class="mention" href="\/people\/bob">@bob<\/a>/);
  t.true(page.text.includes('@nobody'));
  t.false(page.text.includes('href="/people/nobody"'));
  t.regex(page.text, /<a href="https:\/\/example.org\/a\?b=1" rel="nofollow noopener ugc">/);
  t.regex(page.text, /<a class="hashtag" href="\/tags\/launch">#Launch<\/a>/);
  t.true(page.text.includes('&lt;script&gt;x&lt;/script&gt;'));
  t.false(page.text.includes('<script>x'));
  const feed = await bob.agent.http.get('/activity');
  t.true(feed.text.includes(`data-entity="${id}"`));
});

eachActApp('bad input keeps what was typed and answers 400 in the member’s language', async (t, app) => {
  await app.member('alice');
  const alice = await app.as('alice');
  let res = await alice.post('/status', { body: '   ', access: 'members' });
  t.is(res.status, 400);
  t.regex(res.text, /Write something before posting/);
  res = await alice.post('/status', { body: 'x'.repeat(1001), access: 'members' });
  t.is(res.status, 400);
  t.regex(res.text, /at most 1,000 characters/);
  t.true(res.text.includes('x'.repeat(1001)), 'the text is kept');
  res = await alice.post('/status', { body: 'hello', access: 'everyone' });
  t.is(res.status, 400);
  t.regex(res.text, /Choose who can see this post/);
  res = await alice.post('/status', { body: 'hello', access: 'group' });
  t.is(res.status, 400);
  res = await alice.post('/status', { body: 'hello', access: 'group', container: '999' });
  t.is(res.status, 400);
  t.regex(res.text, /You cannot post in this group/);
  await app.rt.users.setLocale(
    await app.rt
      .db('users')
      .where({ username: 'alice' })
      .first('id')
      .then((r) => Number(r.id)),
    'fr',
  );
  const fr = await app.as('alice');
  res = await fr.post('/status', { body: '', access: 'members' });
  t.is(res.status, 400);
  t.regex(res.text, /Écrivez quelque chose avant de publier/);
  t.is(Number((await app.rt.db('status_posts').count({ n: '*' }).first())?.n), 0);
});

eachActApp('edit own (new mentions notified, edited mark), not others; delete own; moderators delete any', async (t, app) => {
  const aliceId = await app.member('alice');
  await app.member('bob');
  const carolId = await app.member('carol');
  await app.rt.users.setRole(carolId, 1, 'moderator');
  const mentioned: number[] = [];
  app.rt.hooks.on('content:mentioned', (p) => void mentioned.push(p.userId));
  const id = await app.post('alice', 'first @bob');
  const alice = await app.as('alice');
  const bob = await app.as('bob');
  t.is((await bob.agent.http.get(`/status/${id}/edit`)).status, 403);
  let res = await bob.post(`/status/${id}/edit`, { body: 'hacked' });
  t.is(res.status, 403);
  res = await alice.post(`/status/${id}/edit`, { body: 'second @bob @carol' });
  t.is(res.status, 303);
  t.is(mentioned.length, 2, 'bob once (at creation), carol once (added by the edit)');
  const page = await bob.agent.http.get(`/status/${id}`);
  t.regex(page.text, /second/);
  t.regex(page.text, /Edited/);
  res = await alice.post(`/status/${id}/edit`, { body: '' });
  t.is(res.status, 400);
  res = await bob.post(`/status/${id}/delete`);
  t.is(res.status, 403);
  const carol = await app.as('carol');
  res = await carol.post(`/status/${id}/delete`, { next: `/status/${id}` });
  t.is(res.status, 303);
  t.is(res.headers.location, '/activity', 'never sent back to the deleted post');
  t.is((await bob.agent.http.get(`/status/${id}`)).status, 404);
  t.is(Number((await app.rt.db('activity').where({ entity_id: id }).count({ n: '*' }).first())?.n), 0);
  const own = await app.quickPost(aliceId, 'mine');
  t.is((await alice.post(`/status/${own}/delete`)).status, 303);
  t.is((await alice.agent.http.get(`/status/${own}`)).status, 404);
});

eachActApp('a member who blocked the author is not mentioned: no link, no mention event', async (t, app) => {
  await app.member('alice');
  const bobId = await app.member('bob');
  await app.member('carol');
  const bob = await app.as('bob');
  t.is((await bob.post('/messages/block/alice')).status, 303);
  const mentioned: number[] = [];
  app.rt.hooks.on('content:mentioned', (p) => void mentioned.push(p.userId));
  const id = await app.post('alice', 'hello @bob and @carol');
  const carolId = Number((await app.rt.db('users').where({ username: 'carol' }).first('id')).id);
  t.deepEqual(mentioned, [carolId], 'only carol');
  const page = (await bob.agent.http.get(`/status/${id}`)).text;
  t.false(page.includes('href="/people/bob"'), 'bob is not linked as mentioned');
  t.falsy(await app.rt.db('content_mentions').where({ entity_id: id, user_id: bobId }).first());
});
