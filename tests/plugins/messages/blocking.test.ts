// Blocking (issue 27): reachable from a profile and from a conversation, explained and
// reversible; it ends follows, the connection and pending requests both ways (as in Teams
// or Slack); a blocked member cannot message, mention, follow or ask to connect, and the
// profile and the directory offer "Message" to everyone else.
import test from 'ava';
import { rowCount } from '../../helpers/rows';
import { eachMsgApp } from './support';

void test;

eachMsgApp('blocking from a profile and a conversation: explained, reversible; no message, mention, follow or connection', async (t, app) => {
  const alice = await app.member('alice', 'Alice Liddell');
  const bob = await app.member('bob', 'Bob Marley');
  const aliceHttp = (await app.as('alice')).agent.http;
  // The profile offers "Message" and blocking, explained; one's own profile does not.
  let profile = (await aliceHttp.get('/people/bob')).text;
  t.regex(profile, /<a class="btn btn-primary btn-sm" href="\/messages\/new\?to&#x3D;bob">Message<\/a>/);
  t.regex(
    profile,
    /action="\/messages\/block\/bob"[\s\S]*They will not be able to message you, mention you, follow you or ask to connect, and any follow or connection between you ends/,
  );
  t.notRegex((await aliceHttp.get('/people/alice')).text, /messages-profile/);
  // The directory offers "Message" beside everyone but oneself.
  const directory = (await aliceHttp.get('/people')).text;
  t.regex(directory, /href="\/messages\/new\?to&#x3D;bob">Message<span class="visually-hidden"> Bob Marley<\/span><\/a>/);
  t.notRegex(directory, /\?to&#x3D;alice"/);
  // A conversation: its Options block the other member too.
  const id = await app.start(bob, ['alice'], 'Hello Alice');
  const conversation = (await aliceHttp.get(`/messages/${id}`)).text;
  t.regex(conversation, /action="\/messages\/block\/bob"[\s\S]*Block Bob Marley/);
  // They follow each other and are connected; Carol's request to Bob waits.
  const carol = await app.member('carol', 'Carol Danvers');
  for (const [who, url] of [
    ['alice', '/people/bob/follow'],
    ['bob', '/people/alice/follow'],
    ['bob', '/people/alice/connect'],
    ['alice', '/people/bob/connect'],
    ['carol', '/people/bob/connect'],
  ])
    t.is((await app.form(who, url)).status, 303, `${who} ${url}`);
  const ties = async (a: number, b: number) => ({
    follows: await rowCount(app.rt.db('follows').whereIn('follower_id', [a, b]).whereIn('followee_id', [a, b])),
    connected: await rowCount(app.rt.db('user_relations').whereIn('user_id', [a, b]).whereIn('other_id', [a, b])),
    pending: await rowCount(app.rt.db('connection_requests').where({ status: 'pending' }).whereIn('from_id', [a, b]).whereIn('to_id', [a, b])),
  });
  t.deepEqual(await ties(alice, bob), { follows: 2, connected: 2, pending: 0 });
  t.deepEqual(await ties(carol, bob), { follows: 0, connected: 0, pending: 1 });
  // Alice blocks Bob from his profile and lands back on it: every tie between them ends, both ways.
  const res = await app.form('alice', '/messages/block/bob', { next: '/people/bob' });
  t.is(res.status, 303);
  t.is(res.headers.location, '/people/bob');
  t.deepEqual(await ties(alice, bob), { follows: 0, connected: 0, pending: 0 });
  t.regex((await aliceHttp.get('/people/bob')).text, /No followers[\s\S]*Follows nobody[\s\S]*No connections/);
  // The account page leads to the list of blocked members, where Bob is, with his avatar, and can be unblocked.
  const account = (await aliceHttp.get('/account')).text;
  t.regex(account, /More settings[\s\S]*href="\/messages\/blocked"[\s\S]*Blocked members[\s\S]*unblock them here/);
  const list = (await aliceHttp.get('/messages/blocked')).text;
  t.regex(list, /<img class="avatar[^>]*src="\/avatars\/\d+\/[^"]+"[\s\S]*<a href="\/people\/bob">Bob Marley<\/a>[\s\S]*@bob · blocked/);
  t.regex(list, /action="\/messages\/unblock\/bob"/);
  t.regex(list, /aria-current="page">Blocked members/);
  // Bob blocks Carol: her request is cancelled. Blocking twice changes nothing.
  t.is((await app.form('bob', '/messages/block/carol')).status, 303);
  t.is((await app.form('bob', '/messages/block/carol')).status, 303);
  t.deepEqual(await ties(carol, bob), { follows: 0, connected: 0, pending: 0 });
  profile = (await aliceHttp.get('/people/bob')).text;
  t.regex(profile, /action="\/messages\/unblock\/bob"[\s\S]*You block this member/);
  t.notRegex(profile, />Message<\/a>/, 'no "Message" while blocked');
  t.regex((await aliceHttp.get(`/messages/${id}`)).text, /You block Bob Marley: neither of you can write here/);
  // Nor in the directory, either way; everyone else keeps theirs.
  const people = (await aliceHttp.get('/people')).text;
  t.notRegex(people, /\?to&#x3D;bob"/);
  t.regex(people, /\?to&#x3D;carol"/);
  t.notRegex((await (await app.as('bob')).agent.http.get('/people')).text, /\?to&#x3D;(alice|carol)"/);
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
  t.falsy(await app.rt.db('connection_requests').where({ from_id: bob, to_id: alice, status: 'pending' }).first());
  // And the other way: Alice cannot connect with the member she blocks.
  t.is((await app.form('alice', '/people/bob/connect')).status, 403);
  // Unblocked from the conversation's Options: everything works again.
  t.is((await app.form('alice', '/messages/unblock/bob', { next: `/messages/${id}` })).status, 303);
  t.regex((await aliceHttp.get('/messages/blocked')).text, /You block nobody/);
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
  t.regex(
    page,
    /Ce membre ne pourra plus vous écrire, vous mentionner, vous suivre ni demander à se connecter avec vous, et tout abonnement ou connexion entre vous prend fin/,
  );
  t.regex(page, />Bloquer ce membre</);
  t.regex((await (await app.as('alice')).agent.http.get('/account')).text, /Autres réglages[\s\S]*Membres bloqués/);
});
