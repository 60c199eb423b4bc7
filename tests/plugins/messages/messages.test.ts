import test from 'ava';
import { rowCount } from '../../helpers/rows';
import { eachMsgApp } from './support';

void test;

eachMsgApp('messages: write, read, reply, unread badge, mark unread, archive, search, leave', async (t, app) => {
  const alice = await app.member('alice', 'Alice A');
  const bob = await app.member('bob', 'Bob B');
  let res = await app.form('alice', '/messages', { to: 'bob', subject: '', body: 'Hello **Bob** https://example.com' });
  t.is(res.status, 303);
  const id = Number(/\/messages\/(\d+)/.exec(res.headers.location)![1]);
  const bobAgent = await app.as('bob');
  let page = await bobAgent.agent.http.get('/messages');
  t.regex(page.text, /Alice A/);
  t.regex(page.text, /Messages, 1 unread conversation/, 'header indicator');
  page = await bobAgent.agent.http.get(`/messages/${id}`);
  t.is(page.status, 200);
  t.regex(page.text, /<strong>Bob<\/strong>/);
  t.regex(page.text, /<a href="https:\/\/example.com"/);
  t.is(await app.service.unreadCount(bob), 0, 'opening marks read');
  res = await app.form('bob', `/messages/${id}/reply`, { body: 'Hi Alice <script>x()</script>' });
  t.is(res.status, 303);
  page = await (await app.as('alice')).agent.http.get(`/messages/${id}`);
  t.notRegex(page.text, /<script>x/);
  t.is(await app.service.unreadCount(bob), 0);
  t.is((await app.form('bob', `/messages/${id}/unread`)).status, 303);
  t.is(await app.service.unreadCount(bob), 1);
  t.is((await app.form('bob', `/messages/${id}/archive`)).status, 303);
  t.notRegex((await bobAgent.agent.http.get('/messages')).text, new RegExp(`/messages/${id}"`));
  t.regex((await bobAgent.agent.http.get('/messages/archived')).text, new RegExp(`/messages/${id}"`));
  const found = await bobAgent.agent.http.get('/messages/search?q=hello');
  t.regex(found.text, /Hello/);
  t.is((await app.form('bob', `/messages/${id}/leave`)).status, 303);
  t.is((await bobAgent.agent.http.get(`/messages/${id}`)).status, 404);
  t.notRegex((await bobAgent.agent.http.get('/messages/search?q=hello')).text, /Hello/);
  t.is((await app.form('bob', `/messages/${id}/reply`, { body: 'back?' })).status, 404);
  t.true(alice > 0);
});

eachMsgApp('messages: a non-participant never gets a byte of a conversation over HTTP', async (t, app) => {
  const alice = await app.member('alice');
  await app.member('bob');
  await app.member('carol');
  const id = await app.start(alice, ['bob'], 'secret plans');
  const carol = await app.as('carol');
  const missing = await carol.agent.http.get('/messages/999999');
  const page = await carol.agent.http.get(`/messages/${id}`);
  t.is(page.status, 404);
  t.is(page.text.replace(/value="[^"]+"/g, ''), missing.text.replace(/value="[^"]+"/g, ''), 'same 404 as a missing one');
  for (const action of ['reply', 'unread', 'archive', 'leave'])
    t.is((await app.form('carol', `/messages/${id}/${action}`, { body: 'x' })).status, 404, action);
  t.notRegex((await carol.agent.http.get('/messages')).text, /secret/);
  t.notRegex((await carol.agent.http.get('/messages/search?q=secret')).text, /secret plans/);
  const guest = await app.agent().http.get(`/messages/${id}`);
  t.true([302, 303, 401].includes(guest.status), 'guests are asked to sign in');
  t.notRegex(guest.text, /secret/);
  t.is(await rowCount(app.rt.db('messages').where({ author_id: (await app.rt.db('users').where({ username: 'carol' }).first('id')).id })), 0);
});

eachMsgApp('messages: blocking stops messages both ways, hides from the recipient search, and answers people:blocks', async (t, app) => {
  const alice = await app.member('alice', 'Alice A');
  const bob = await app.member('bob', 'Bob B');
  const id = await app.start(alice, ['bob'], 'hi');
  t.is((await app.form('bob', '/messages/block/alice')).status, 303);
  const refused = await app.form('alice', `/messages/${id}/reply`, { body: 'still there?' });
  t.is(refused.status, 403);
  t.regex(refused.text, /You cannot write to this member/);
  t.is((await app.form('alice', '/messages', { to: 'bob', body: 'new one' })).status, 403);
  t.is((await app.form('bob', '/messages', { to: 'alice', body: 'I block you but write' })).status, 403);
  const search = await (await app.as('alice')).agent.http.get('/messages/new?q=bob');
  t.notRegex(search.text, /Bob B/);
  t.deepEqual(await app.rt.hooks.filter('people:blocks', [], { userId: alice, candidateIds: [bob], direction: 'blockedBy' }), [bob]);
  t.deepEqual(await app.rt.hooks.filter('people:blocks', [], { userId: bob, candidateIds: [alice], direction: 'blockedBy' }), []);
  t.deepEqual(await app.rt.hooks.filter('people:blocks', [], { userId: bob, candidateIds: [alice], direction: 'either' }), [alice]);
  t.true(
    await app.rt.hooks.filter('notifications:blocked', false, { networkId: 1, recipientId: bob, actorId: alice }),
    'notifications from a blocked member are dropped',
  );
  t.false(await app.rt.hooks.filter('notifications:blocked', false, { networkId: 1, recipientId: alice, actorId: bob }));
  t.regex((await (await app.as('bob')).agent.http.get('/messages/blocked')).text, /Alice A/);
  t.is((await app.form('bob', '/messages/unblock/alice')).status, 303);
  t.is((await app.form('alice', `/messages/${id}/reply`, { body: 'again' })).status, 303);
});

eachMsgApp('messages: rate limit per member answers a localised 429; concurrent sends get distinct consecutive seqs', async (t, app) => {
  const alice = await app.member('alice');
  await app.member('bob');
  const id = await app.start(alice, ['bob'], 'first');
  const v = await app.viewer(alice);
  const seqs = await Promise.all(Array.from({ length: 20 }, (_, i) => app.service.send(v, 1, id, `m${i}`)));
  t.deepEqual(
    [...seqs].sort((a, b) => a - b),
    Array.from({ length: 20 }, (_, i) => i + 2),
  );
  t.is((await app.service.find(id))!.last_seq, 21);
  // A conversation whose counter fell behind its messages (a restored backup, a manual
  // fix) continues after its highest message instead of failing on the unique seq.
  await app.rt.db('conversations').where({ id }).update({ last_seq: 3 });
  t.is(await app.service.send(v, 1, id, 'after the repair'), 22);
  t.is((await app.service.find(id))!.last_seq, 22);
  await app.rt.pluginState.configure('messages', { ratePerMinute: 2 });
  t.is((await app.form('bob', `/messages/${id}/reply`, { body: 'one' })).status, 303);
  t.is((await app.form('bob', `/messages/${id}/reply`, { body: 'two' })).status, 303);
  const res = await app.form('bob', `/messages/${id}/reply`, { body: 'too many' });
  t.is(res.status, 429);
  t.regex(res.text, /sending messages too fast/);
});
