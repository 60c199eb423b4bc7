// Pagination of a topic with 500 replies (page contents and links), a fixed number of
// queries per page whatever its size, and topics and replies in the activity feed (both databases).
import { withholdPiece } from '../../../core';
import { eachApp } from '../../helpers/each-app';
import { bulkReplies, discApp } from './support';
import { bulkMembers } from '../connections/support';
import { statementsDuring } from '../../helpers/statements';

const positions = (text: string) => [...text.matchAll(/<p>Reply number (\d+)<\/p>/g)].map((m) => Number(m[1]));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

eachApp('discussions: 500 replies page by 20, with previous/next links and reply links to the right page', discApp, async (t, app) => {
  const ann = await app.member('ann');
  const authors = await bulkMembers(app.db, 'writer', 7);
  const id = await app.topic(ann, { title: 'Big topic' });
  const ids = await bulkReplies(app.db, id, [ann, ...authors], 500);
  await app.member('bob');
  const b = await app.as('bob');
  const first = await b.get(`/discussions/${id}`);
  t.deepEqual(positions(first.text), range(1, 20));
  t.true(first.text.includes(`href="/discussions/${id}?page&#x3D;2" rel="next"`));
  t.false(first.text.includes('rel="prev"'));
  t.true(first.text.includes('page 1 of 25'));
  const middle = await b.get(`/discussions/${id}?page=13`);
  t.deepEqual(positions(middle.text), range(241, 260));
  t.true(
    middle.text.includes(`href="/discussions/${id}?page&#x3D;12" rel="prev"`) &&
      middle.text.includes(`href="/discussions/${id}?page&#x3D;14" rel="next"`),
  );
  const last = await b.get(`/discussions/${id}?page=25`);
  t.deepEqual(positions(last.text), range(481, 500));
  t.false(last.text.includes('rel="next"'));
  t.true(last.text.includes('id="reply-form"'));
  t.deepEqual(positions((await b.get(`/discussions/${id}?page=99`)).text), range(481, 500), 'past the end: the last page');
  t.deepEqual(positions((await b.get(`/discussions/${id}?page=abc`)).text), range(1, 20));
  const link = await b.get(`/discussions/replies/${ids[249]}`);
  t.is(link.status, 303);
  t.is(link.headers.location, `/discussions/${id}?page=13#reply-${ids[249]}`);
  const reply = await b.post(`/discussions/${id}/replies`, { body: 'Number 501' });
  t.regex(reply.headers.location, new RegExp(`/discussions/${id}\\?page=26#reply-\\d+$`));
  const api = await b.agent.http.get(`/api/v1/discussions/${id}?page=13`);
  t.is(api.status, 200);
  t.is(api.body.pages, 26);
  t.deepEqual(
    api.body.replies.map((r: { position: number }) => r.position),
    range(241, 260),
  );
  t.is(api.body.next, `/api/v1/discussions/${id}?page=14`, 'the next page of replies, by position');
  const lastApi = await b.agent.http.get(`/api/v1/discussions/${id}?page=26`);
  t.is(lastApi.body.next, null, 'none after the last page');
  t.is(
    Number((await app.db('topic_reads').where({ topic_id: id }).whereNot('user_id', ann).first('last_read_reply_id')).last_read_reply_id) > ids[499],
    true,
  );
});

eachApp('discussions: a page of 5 replies and a page of 50 take the same number of queries', discApp, async (t, app) => {
  await app.rt.pluginState.configure('discussions', { repliesPerPage: 50 });
  const ann = await app.member('ann');
  const authors = await bulkMembers(app.db, 'author', 50);
  const small = await app.topic(ann, { title: 'Small', tags: ['a', 'b'] });
  const big = await app.topic(ann, { title: 'Big', tags: ['a', 'b'] });
  await bulkReplies(app.db, small, authors, 5);
  await bulkReplies(app.db, big, authors, 50);
  await app.member('bob');
  const b = await app.as('bob');
  const count = async (url: string) => {
    await b.get(url); // the read marker exists from now on, as for any later view
    const { value: res, sql } = await statementsDuring(app.rt, () => b.get(url));
    t.is(res.status, 200);
    return { n: sql.length, replies: positions(res.text).length };
  };
  const five = await count(`/discussions/${small}`);
  const fifty = await count(`/discussions/${big}`);
  t.is(five.replies, 5);
  t.is(fifty.replies, 50);
  t.is(five.n, fifty.n, `${five.n} queries for 5 replies, ${fifty.n} for 50`);
  const apiFive = await count(`/api/v1/discussions/${small}`);
  const apiFifty = await count(`/api/v1/discussions/${big}`);
  t.is(apiFive.n, apiFifty.n);
});

// Issue 18: the topic page's own statements (the topic, its author, a page of replies, the
// viewer's subscription and read marker) are written once and kept prepared, not built by
// knex's query builder (which quotes every name); subscription and read marker are one statement.
eachApp('discussions: the topic page reads with statements kept prepared, the viewer state in one', discApp, async (t, app) => {
  const ann = await app.member('ann');
  const bob = await app.member('bob');
  const id = await app.topic(ann, { title: 'Prepared' });
  await app.reply(bob, id, 'First answer');
  const b = await app.as('bob');
  await b.post(`/discussions/${id}/subscribe`, { on: '1' });
  await b.get(`/discussions/${id}`);
  const { value: page, sql: statements } = await statementsDuring(app.rt, () => b.get(`/discussions/${id}`));
  t.is(page.status, 200);
  t.true(page.text.includes('First answer'));
  const own = statements.filter((s) => /discussion_|topic_reads|entity_tags|content_mentions|where id = \?$/.test(s));
  // The topic with its author, the viewer's state and its counts of withheld replies and tags (issue 18), then the page:
  // no withheld reply, no tag and no "@" or "#" in the page's text, so nothing else of the topic is read.
  t.is(own.length, 2, own.join('\n'));
  for (const s of own) t.notRegex(s, /[`"]/, s);
  t.is(statements.filter((s) => /discussion_subscriptions|topic_reads/.test(s)).length, 1);

  // With a tag, a withheld reply and a mention, each is read (and shown) again.
  await app.db('entity_tags').insert({ entity_id: id, tag: 'kept' });
  const hiddenId = await app.reply(bob, id, 'My hidden answer');
  await app.db.transaction((trx) => withholdPiece(app.rt, 'reply', hiddenId, true, trx));
  await app.reply(ann, id, 'Thanks @bob');
  const again = await statementsDuring(app.rt, () => b.get(`/discussions/${id}`));
  t.true(again.value.text.includes('My hidden answer'), 'the author sees their withheld reply');
  t.regex(again.value.text, /href="[^"]*tag(=|&#x3D;)kept"/);
  t.regex(again.value.text, /Thanks <a[^>]*>@bob<\/a>/);
  const read = (re: RegExp) => again.sql.filter((s) => re.test(s)).length;
  t.is(read(/select entity_id, tag from entity_tags/), 1, 'the tags');
  t.is(read(/from discussion_replies where topic_id = \? and withheld/), 1, 'the withheld replies');
  t.is(read(/content_mentions/), 1, 'the mentions');
});

eachApp('discussions: topics and replies in the activity feed, with links to the topic and to the reply', discApp, async (t, app) => {
  const ann = await app.member('ann');
  const bob = await app.member('bob');
  await app.member('cat');
  const id = await app.topic(ann, { title: 'Feed topic', body: 'What about **this**?' });
  const c = await app.as('cat');
  let feed = await c.get('/activity');
  t.is(feed.status, 200);
  t.true(feed.text.includes('Feed topic') && feed.text.includes('What about this?'));
  t.true(feed.text.includes('started a discussion'));
  t.true(feed.text.includes(`href="/discussions/${id}"`));
  const rid = await app.reply(bob, id, 'Here is **how**.');
  const during = await statementsDuring(app.rt, () => c.get('/activity'));
  feed = during.value;
  const sql = during.sql;
  // Kept prepared (issue 18): the topics and replies of a feed page are read with their ids as one binding.
  const summaries = sql.filter((q) => /discussion_(topics|replies)/.test(q));
  t.is(summaries.length, 2, summaries.join('\n'));
  for (const q of summaries) t.regex(q, /json_each\(\?\)|json_array_elements_text\(\?::json\)/);
  t.true(feed.text.includes('replied in a discussion'));
  t.true(feed.text.includes('Here is how.'));
  t.true(feed.text.includes(`href="/discussions/replies/${rid}"`));
  await app.replies.remove((await app.replies.find(rid))!);
  feed = await c.get('/activity');
  t.false(feed.text.includes('Here is how.'), 'a deleted reply leaves the feed');
  t.true(feed.text.includes('Feed topic'));
  await app.topics.remove((await app.topics.find(id))!);
  t.false((await c.get('/activity')).text.includes('Feed topic'));
});
