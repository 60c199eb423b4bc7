// The messages pages as members see them (issue 27): the inbox with avatars, names, the
// last message and unread state; search by subject, people and text; a conversation with
// its people, avatars and day separators, add and leave for groups; the composer with
// suggestions, a checked list of names and a Markdown preview. Nobody outside a
// conversation sees any of it.
import test from 'ava';
import { eachMsgApp } from './support';

void test;

const rowOf = (html: string, id: number): string => {
  const at = html.indexOf(`/messages/${id}"`);
  return at < 0 ? '' : html.slice(html.lastIndexOf('<li class="conv-row', at), html.indexOf('</li>', at));
};

eachMsgApp('inbox: avatars and names, last message excerpt and time, unread state; outsiders see nothing', async (t, app) => {
  const alice = await app.member('alice', 'Alice Liddell');
  const bob = await app.member('bob', 'Bob Marley');
  await app.member('carol', 'Carol Danvers');
  const direct = await app.start(alice, ['bob'], 'Lunch at **noon**? The _usual_ place');
  const group = await app.start(bob, ['alice', 'carol'], 'Quarterly plans, draft one');
  const bobAgent = (await app.as('bob')).agent.http;
  const inbox = (await bobAgent.get('/messages')).text;
  t.regex(inbox, /<form method="get" action="\/messages\/search" role="search"[\s\S]*placeholder="Search messages"/, 'a search above the list');
  const directRow = rowOf(inbox, direct);
  t.regex(directRow, /is-unread/, 'unread for Bob');
  t.regex(directRow, /class="conv-row__title one-line"[^>]*>Alice Liddell</);
  t.regex(directRow, new RegExp(`src="/avatars/${alice}/initials\\.svg"`), 'the other member’s avatar');
  t.regex(directRow, /class="conv-row__excerpt one-line">Lunch at noon\? The usual place/, 'excerpt as plain text');
  t.regex(directRow, /<time datetime="/);
  t.regex(directRow, /aria-label="1 unread message"/);
  const groupRow = rowOf(inbox, group);
  t.notRegex(groupRow, /is-unread/, 'his own message is read');
  t.regex(groupRow, /conv-row__faces--group/);
  t.regex(groupRow, /You:<\/span> Quarterly plans/);
  t.is((groupRow.match(/<img class="conv-row__face"/g) ?? []).length, 2, 'both others’ avatars');
  // Read: the row is no longer unread.
  await bobAgent.get(`/messages/${direct}`);
  t.notRegex(rowOf((await bobAgent.get('/messages')).text, direct), /is-unread/);
  // Carol is in the group, not in the direct conversation: neither its row nor its excerpt.
  const carolInbox = (await (await app.as('carol')).agent.http.get('/messages')).text;
  t.notRegex(carolInbox, /Lunch at/);
  t.is(rowOf(carolInbox, direct), '');
  t.regex(rowOf(carolInbox, group), /Quarterly plans/);
  t.true(bob > 0);
});

eachMsgApp('search: by subject, by the people in a conversation and by text, only in my conversations', async (t, app) => {
  const alice = await app.member('alice', 'Alice Liddell');
  await app.member('bob', 'Bob Marley');
  await app.member('carol', 'Carol Danvers');
  await app.member('dave', 'Dave Grohl');
  const res = await app.form('alice', '/messages', { to: 'bob, carol', subject: 'Offsite in Lyon', body: 'Who brings the projector?' });
  t.is(res.status, 303);
  const group = Number(/\/messages\/(\d+)/.exec(res.headers.location)![1]);
  const other = await app.start(alice, ['dave'], 'Guitar lessons on Friday');
  const alicePage = (await app.as('alice')).agent.http;
  const bySubject = (await alicePage.get('/messages/search?q=lyon')).text;
  t.regex(rowOf(bySubject, group), /Offsite in Lyon/, 'the subject is searched');
  t.regex(rowOf(bySubject, group), /Bob Marley, Carol Danvers/, 'a row with a subject names its people');
  t.is(rowOf(bySubject, other), '');
  const byPerson = (await alicePage.get('/messages/search?q=grohl')).text;
  t.regex(rowOf(byPerson, other), /Dave Grohl/, 'a participant’s name finds the conversation');
  t.is(rowOf(byPerson, group), '');
  const byText = (await alicePage.get('/messages/search?q=projector')).text;
  t.regex(rowOf(byText, group), /projector/);
  t.regex(byText, /class="messages-subtitle">Messages</);
  t.regex(byText, new RegExp(`href="/messages/${group}#m1"`), 'the message links to its place');
  // Dave is not in the group: nothing of it, whatever he searches.
  const dave = (await app.as('dave')).agent.http;
  for (const q of ['lyon', 'projector', 'carol', 'bob'])
    t.notRegex((await dave.get(`/messages/search?q=${q}`)).text, /Offsite in Lyon|Who brings/, `dave searching ${q}`);
  t.regex((await dave.get('/messages/search?q=nothing-like-this')).text, /No conversation or message matches/);
});

eachMsgApp('conversation: people with avatars, day separators, add and leave in a group, a direct one stays two', async (t, app) => {
  const alice = await app.member('alice', 'Alice Liddell');
  const bob = await app.member('bob', 'Bob Marley');
  await app.member('carol', 'Carol Danvers');
  const group = await app.start(alice, ['bob'], 'first');
  // A direct conversation (one recipient) cannot grow: the page offers a new group one.
  let page = (await (await app.as('alice')).agent.http.get(`/messages/${group}`)).text;
  t.regex(page, /Start a group conversation with more people/);
  t.regex(page, /href="\/messages\/new\?to&#x3D;bob"/);
  t.is((await app.form('alice', `/messages/${group}/add`, { to: 'carol' })).status, 400);
  // A group conversation, two days of messages.
  const res = await app.form('alice', '/messages', { to: 'bob, carol', subject: 'Team', body: 'Yesterday’s news' });
  const id = Number(/\/messages\/(\d+)/.exec(res.headers.location)![1]);
  await app.rt
    .db('messages')
    .where({ conversation_id: id, seq: 1 })
    .update({ created_at: Date.now() - 86_400_000 });
  await app.form('bob', `/messages/${id}/reply`, { body: 'Today’s answer' });
  const bobPage = (await app.as('bob')).agent.http;
  page = (await bobPage.get(`/messages/${id}`)).text;
  t.regex(page, /<ul class="conversation__people"[\s\S]*Alice Liddell[\s\S]*Carol Danvers/);
  t.regex(
    page,
    /class="day-separator"[^>]*><span>Yesterday<\/span>[\s\S]*Yesterday’s news[\s\S]*class="day-separator"[^>]*><span>Today<\/span>[\s\S]*Today’s answer/,
  );
  t.regex(page, new RegExp(`<img class="message__avatar" src="/avatars/${alice}/initials\\.svg"`));
  t.regex(page, /Add people/);
  // Dave is added by Bob: he reads it, and it is in his inbox.
  await app.member('dave', 'Dave Grohl');
  t.is((await app.form('bob', `/messages/${id}/add`, { to: 'dave' })).status, 303);
  const dave = (await app.as('dave')).agent.http;
  t.is((await dave.get(`/messages/${id}`)).status, 200);
  t.regex((await dave.get('/messages')).text, /Team/);
  // Unknown names are refused with their names.
  const unknown = await app.form('bob', `/messages/${id}/add`, { to: 'nobody-here' });
  t.is(unknown.status, 400);
  t.regex(unknown.text, /No member here is called “nobody-here”/);
  // Carol leaves: gone for her, and from the people of the page.
  t.is((await app.form('carol', `/messages/${id}/leave`)).status, 303);
  t.is((await (await app.as('carol')).agent.http.get(`/messages/${id}`)).status, 404);
  page = (await bobPage.get(`/messages/${id}`)).text;
  t.notRegex(page.slice(page.indexOf('conversation__people'), page.indexOf('</ul>', page.indexOf('conversation__people'))), /Carol/);
  t.true(bob > 0);
});

eachMsgApp('conversation: day separators and times in the reader’s own time zone', async (t, app) => {
  const alice = await app.member('alice', 'Alice Liddell');
  await app.member('bob', 'Bob Marley');
  const id = await app.start(alice, ['bob'], 'Late in London');
  await app.service.send(await app.viewer(alice), 1, id, 'Early in Kiritimati');
  // 10 March 2026, 09:00 and 11:00 UTC: one day in UTC, two in Kiritimati (UTC+14: 23:00, then 01:00 on the 11th).
  for (const [seq, at] of [
    [1, Date.UTC(2026, 2, 10, 9)],
    [2, Date.UTC(2026, 2, 10, 11)],
  ])
    await app.rt.db('messages').where({ conversation_id: id, seq }).update({ created_at: at });
  const bobHttp = (await app.as('bob')).agent.http;
  const separators = async () =>
    [...(await bobHttp.get(`/messages/${id}`)).text.matchAll(/class="day-separator"[^>]*><span>([^<]+)</g)].map((m) => m[1]);
  await app.rt.db('users').where({ username: 'bob' }).update({ time_zone: 'UTC' });
  t.deepEqual(await separators(), ['March 10, 2026']);
  await app.rt.db('users').where({ username: 'bob' }).update({ time_zone: 'Pacific/Kiritimati' });
  t.deepEqual(await separators(), ['March 10, 2026', 'March 11, 2026']);
  t.regex(
    (await bobHttp.get(`/messages/${id}`)).text,
    /11:00 PM[\s\S]*Late in London[\s\S]*1:00 AM[\s\S]*Early in Kiritimati/,
    'times in the same zone',
  );
});

eachMsgApp('composer: suggestions with avatars, a checked list of names without JavaScript, Markdown preview, in French too', async (t, app) => {
  await app.member('alice', 'Alice Liddell');
  const bob = await app.member('bob', 'Bob Marley');
  await app.member('bobby', 'Bobby Brown');
  const alice = (await app.as('alice')).agent.http;
  const found = await alice.get('/messages/people?q=bob').set('Accept', 'application/json');
  t.is(found.status, 200);
  t.deepEqual(
    found.body.people.map((p: { username: string }) => p.username),
    ['bob', 'bobby'],
  );
  t.is(found.body.people[0].avatar, `/avatars/${bob}/initials.svg`);
  t.is(found.body.people[0].name, 'Bob Marley');
  // Without JavaScript: the member search, inside the form, lists people with avatars and
  // "Add" buttons; finding, adding and removing post the form back with everything typed.
  const draft = { subject: 'Plans', body: 'Kept while I pick people' };
  const found2 = await app.form('alice', '/messages', { to: '', q: 'bob', find: '1', ...draft });
  t.is(found2.status, 200);
  t.regex(found2.text, /<img src="\/avatars\/\d+\/initials\.svg"[^>]*><span class="composer__person">Bob Marley/);
  t.regex(found2.text, /<button type="submit" name="add" value="bob" formnovalidate/);
  t.regex(found2.text, /<textarea id="new-body"[^>]*>Kept while I pick people<\/textarea>/);
  t.regex(found2.text, /name="subject" maxlength="200" value="Plans"/);
  const added = (await app.form('alice', '/messages', { to: 'bobby', q: 'bob', add: 'bob', ...draft })).text;
  t.regex(added, /<ul class="composer__chosen"[\s\S]*Bobby Brown[\s\S]*Bob Marley/);
  t.regex(added, /id="new-to" class="input" name="to" value="bobby, bob"/);
  t.regex(added, /id="find-q" class="input" type="search" name="q" value=""/, 'the search is done with');
  t.regex(added, />Kept while I pick people<\/textarea>/);
  const removed = (await app.form('alice', '/messages', { to: 'bobby, bob', remove: 'bobby', ...draft })).text;
  t.regex(removed, /name="to" value="bob"/);
  t.regex(removed, /name="remove" value="bob"[^>]*title="Remove Bob Marley"/);
  t.regex(removed, />Kept while I pick people<\/textarea>/);
  // Already chosen people are not offered again; a link from a profile (?to=) fills "To".
  t.notRegex((await app.form('alice', '/messages', { to: 'bob', q: 'bob', find: '1' })).text, /name="add" value="bob"/);
  t.regex((await alice.get('/messages/new?to=bob')).text, /<ul class="composer__chosen"[\s\S]*Bob Marley/);
  t.is(Number((await app.rt.db('messages').count({ n: '*' }).first())!.n), 0, 'nothing sent while picking');
  // Unknown names come back on the form with what was typed, and a clear message.
  const wrong = await app.form('alice', '/messages', { to: 'bob, zed, ghost', subject: 'Hi', body: 'Kept **text**' });
  t.is(wrong.status, 400);
  t.regex(wrong.text, /No members here are called zed, ghost/);
  t.regex(wrong.text, /<textarea id="new-body"[^>]*>Kept \*\*text\*\*<\/textarea>/);
  t.regex(wrong.text, /id="new-subject" class="input" name="subject" maxlength="200" value="Hi"/);
  // Preview: the Markdown rendered, nothing sent.
  const preview = await app.form('alice', '/messages', { to: 'bob', body: 'A **bold** plan', preview: '1' });
  t.is(preview.status, 200);
  t.regex(preview.text, /class="composer__preview"[\s\S]*A <strong>bold<\/strong> plan/);
  t.is(Number((await app.rt.db('messages').count({ n: '*' }).first())!.n), 0);
  // The same refusal in French.
  await app.rt.db('users').where({ username: 'alice' }).update({ locale: 'fr' });
  const fr = await app.form('alice', '/messages', { to: 'zed', body: 'x' });
  t.is(fr.status, 400);
  t.regex(fr.text, /Aucun membre ne s’appelle « zed » ici/);
});
