// Search within one discussion: the opening post and the live replies saying every word
// (accents folded), in thread order, each linking to its page and anchor; only for those who
// may see the topic.
import { createMember, signedIn, testContainer } from '../../helpers/members';
import { eachAppOf } from '../../helpers/each-app';
import { bulkReplies, discApp } from './support';

const eachDiscApp = eachAppOf(discApp);

/** The matches a thread search page lists: each link and its excerpt's text, marks kept. */
function matchesIn(html: string): { href: string; excerpt: string }[] {
  return [...html.matchAll(/<p class="discussions-match__excerpt">([\s\S]*?)<\/p>\s*<a class="discussions-match__link" href="([^"]+)"/g)].map(
    (m) => ({ href: m[2].replace(/&#x3D;/g, '='), excerpt: m[1] }),
  );
}

eachDiscApp('a thread search lists the messages of the topic saying every word, with their place', async (t, app) => {
  const rt = app.rt;
  const olga = await createMember(rt, 'olga');
  const cora = await createMember(rt, 'cora');
  await createMember(rt, 'mia');
  const id = await app.topic(olga, { title: 'Printer', body: 'Where is the printer of the café?' });
  const first = await app.reply(cora, id, 'The café printer is on floor 2');
  await app.reply(cora, id, 'My résumé printed fine');
  const gone = await app.reply(cora, id, 'The café closes early');
  await app.replies.remove((await app.replies.find(gone))!);
  const asMia = await signedIn(app, 'mia');

  const topicPage = await asMia.http.get(`/discussions/${id}`);
  t.regex(
    topicPage.text,
    new RegExp(`<form class="discussions-find discussions-find--topic" method="get" action="/discussions/${id}/search" role="search">`),
  );
  const cafe = await asMia.http.get(`/discussions/${id}/search?q=CAFE+printer`);
  t.is(cafe.status, 200);
  t.deepEqual(matchesIn(cafe.text), [
    { href: `/discussions/${id}#topic-body`, excerpt: 'Where is the <mark>printer</mark> of the <mark>café</mark>?' },
    { href: `/discussions/${id}#reply-${first}`, excerpt: 'The <mark>café</mark> <mark>printer</mark> is on floor 2' },
  ]);
  t.regex(cafe.text, /2 messages say it/);
  t.deepEqual(matchesIn((await asMia.http.get(`/discussions/${id}/search?q=resume`)).text).length, 1, 'accents folded');
  const closes = await asMia.http.get(`/discussions/${id}/search?q=closes`);
  t.deepEqual(matchesIn(closes.text), [], 'a deleted reply says nothing');
  t.regex(closes.text, /No message of this discussion says that/);
  const empty = await asMia.http.get(`/discussions/${id}/search?q=`);
  t.is(empty.status, 200);
  t.notRegex(empty.text, /data-count/, 'nothing searched, nothing counted');
  await createMember(rt, 'fleur', { locale: 'fr' });
  const fr = await (await signedIn(app, 'fleur')).http.get(`/discussions/${id}/search?q=printer`);
  t.regex(fr.text, /3 messages les contiennent/, 'in French (printer, its inflection printed)');

  // A long thread: a reply past the first page links to its page.
  const ids = await bulkReplies(app.db, id, [cora], 25);
  const late = await asMia.http.get(`/discussions/${id}/search?q=number+23`);
  t.deepEqual(
    matchesIn(late.text).map((m) => m.href),
    [`/discussions/${id}?page=2#reply-${ids[22]}`],
  );
});

eachDiscApp('a thread search answers only those who may see the topic', async (t, app) => {
  const rt = app.rt;
  const olga = await createMember(rt, 'olga');
  const cora = await createMember(rt, 'cora');
  await createMember(rt, 'mia');
  const group = await testContainer(rt, olga, [cora]);
  const id = await app.topic(olga, { title: 'Budget', body: 'Numbers', access: 'group', containerId: group });
  await app.reply(cora, id, 'The kangaroo fund');
  const url = `/discussions/${id}/search?q=kangaroo`;
  const inside = await (await signedIn(app, 'cora')).http.get(url);
  t.is(matchesIn(inside.text).length, 1, 'a group member');
  const outside = await (await signedIn(app, 'mia')).http.get(url);
  t.is(outside.status, 404, 'a member outside the group');
  t.notRegex(outside.text, /kangaroo fund|Budget/);
  const guest = await app.agent().http.get(url);
  t.not(guest.status, 200, 'a guest');
  t.notRegex(guest.text, /kangaroo fund/);
  const admin = await (await signedIn(app, 'admin')).http.get(url);
  t.is(admin.status, 200, 'an admin sees the group topic as the access model says');
});
