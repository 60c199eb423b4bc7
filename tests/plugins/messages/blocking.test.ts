// Blocking (issue 27): reachable from a profile and from a conversation, explained and
// reversible; a blocked member cannot message, mention, follow or ask to connect, and the
// profile and the directory offer "Message" to everyone else.
import test from 'ava';
import { eachMsgApp } from './support';

void test;

eachMsgApp('blocking from a profile and a conversation: explained, reversible; no message, mention, follow or connection', async (t, app) => {
  const alice = await app.member('alice', 'Alice Liddell');
  const bob = await app.member('bob', 'Bob Marley');
  const aliceHttp = (await app.as('alice')).agent.http;
  // The profile offers "Message" and blocking, explained; one's own profile does not.
  let profile = (await aliceHttp.get('/people/bob')).text;
  t.regex(profile, /<a class="btn btn-primary btn-sm" href="\/messages\/new\?to&#x3D;bob">Message<\/a>/);
  t.regex(profile, /action="\/messages\/block\/bob"[\s\S]*They will not be able to message you, mention you or ask to connect/);
  t.notRegex((await aliceHttp.get('/people/alice')).text, /messages-profile/);
  // The directory offers "Message" beside everyone but oneself.
  const directory = (await aliceHttp.get('/people')).text;
  t.regex(directory, /href="\/messages\/new\?to=bob">Message<span class="visually-hidden"> Bob Marley<\/span><\/a>/);
  t.notRegex(directory, /\?to=alice"/);
  // A conversation: its Options block the other member too.
  const id = await app.start(bob, ['alice'], 'Hello Alice');
  const conversation = (await aliceHttp.get(`/messages/${id}`)).text;
  t.regex(conversation, /action="\/messages\/block\/bob"[\s\S]*Block Bob Marley/);
  // Alice blocks Bob from his profile and lands back on it.
  const res = await app.form('alice', '/messages/block/bob', { next: '/people/bob' });
  t.is(res.status, 303);
  t.is(res.headers.location, '/people/bob');
  profile = (await aliceHttp.get('/people/bob')).text;
  t.regex(profile, /action="\/messages\/unblock\/bob"[\s\S]*You block this member/);
  t.notRegex(profile, />Message<\/a>/, 'no "Message" while blocked');
  t.regex((await aliceHttp.get(`/messages/${id}`)).text, /You block Bob Marley: neither of you can write here/);
  // Bob can neither write, nor mention, nor follow, nor ask to connect.
  const reply = await app.form('bob', `/messages/${id}/reply`, { body: 'still there?' });
  t.is(reply.status, 403);
  t.regex(reply.text, /You cannot write to this member/);
  t.is((await app.form('bob', '/messages', { to: 'alice', body: 'new one' })).status, 403);
  const mentioned: number[] = [];
  app.rt.hooks.on('content:mentioned', (p) => void mentioned.push(p.userId));
  t.is((await app.form('bob', '/status', { body: 'Thanks @alice!', access: 'members' })).status, 303);
  t.deepEqual(mentioned, [], 'a blocked member’s mention is inert');
  for (const action of ['follow', 'connect']) {
    const refused = await app.form('bob', `/people/alice/${action}`);
    t.is(refused.status, 403, action);
    t.regex(refused.text, /You cannot follow or connect with this member/, action);
  }
  t.falsy(await app.rt.db('follows').where({ follower_id: bob, followee_id: alice }).first());
  t.falsy(await app.rt.db('connection_requests').where({ from_id: bob, to_id: alice }).first());
  // And the other way: Alice cannot connect with the member she blocks.
  t.is((await app.form('alice', '/people/bob/connect')).status, 403);
  // Unblocked from the conversation's Options: everything works again.
  t.is((await app.form('alice', '/messages/unblock/bob', { next: `/messages/${id}` })).status, 303);
  t.is((await app.form('bob', `/messages/${id}/reply`, { body: 'back' })).status, 303);
  t.is((await app.form('bob', '/people/alice/follow')).status, 303);
  t.is((await app.form('bob', '/status', { body: 'Thanks again @alice!', access: 'members' })).status, 303);
  t.deepEqual(mentioned, [alice]);
});

eachMsgApp('blocking in French: the profile explains it', async (t, app) => {
  await app.member('alice', 'Alice Liddell');
  await app.member('bob', 'Bob Marley');
  await app.rt.db('users').where({ username: 'alice' }).update({ locale: 'fr' });
  const page = (await (await app.as('alice')).agent.http.get('/people/bob')).text;
  t.regex(page, /Ce membre ne pourra plus vous écrire, vous mentionner ni demander à se connecter avec vous/);
  t.regex(page, />Bloquer ce membre</);
});
