// Topic cards kept by version (issue 18, plugins/activity/kept-cards.ts): a topic's card (a reply's
// when it is the topic's newest act) in the activity feed is taken from the fragment cache on the next page without
// reading the topics and replies (their summary is versioned); every writer of what they show —
// a reply, an edit of the topic or of a reply by any writer, an accepted answer, a withheld or
// deleted reply — shows on the next read, and the kept card is the one a render without the cache
// gives (both databases).
import { eachApp } from '../../helpers/each-app';
import { discApp, type DiscApp } from './support';

/** The card of act `entity` in a page whose summary links `href`, without its form tokens. */
const cardsOf = (html: string, entity: number): string[] =>
  [...html.matchAll(new RegExp(`<article[^>]*data-entity="${entity}"[\\s\\S]*?</article>`, 'g'))].map((m) =>
    m[0].replace(/name="_csrf" value="[^"]+"/g, '').replace(/ title="[^"]*">[^<]*<\/time>/g, '></time>'),
  );

/** Counts the feed summaries' reads (topics and the replies the page names). */
function spySummaries(app: DiscApp): { reads: number } {
  const calls = { reads: 0 };
  const read = app.topics.feedSummaries.bind(app.topics);
  app.topics.feedSummaries = (ids, replyIds) => {
    calls.reads++;
    return read(ids, replyIds);
  };
  return calls;
}

/** The page's cards of `entity` rendered without the fragment cache. */
async function uncached(app: DiscApp, get: () => Promise<string>, entity: number): Promise<string[]> {
  const options = app.rt.views.fragments.options as { enabled: boolean };
  options.enabled = false;
  try {
    return cardsOf(await get(), entity);
  } finally {
    options.enabled = true;
  }
}

eachApp("a topic's feed card is kept, and every writer of what it shows changes it", discApp, async (t, app) => {
  const ann = await app.member('ann');
  const bob = await app.member('bob');
  await app.member('cat');
  const id = await app.topic(ann, { title: 'Kept topic', body: 'Which **supplier**?' });
  const c = await app.as('cat');
  const get = async (): Promise<string> => {
    const res = await c.get('/activity');
    t.is(res.status, 200);
    return res.text;
  };
  const calls = spySummaries(app);
  const first = cardsOf(await get(), id);
  t.is(first.length, 1);
  t.true(first[0].includes('Kept topic') && first[0].includes('Which supplier?'));
  const reads = calls.reads;
  t.true(reads > 0, 'the first page reads the topic');
  t.deepEqual(cardsOf(await get(), id), first, 'the same card again');
  t.is(calls.reads, reads, 'a hit reads no topic');

  // A reply: the topic's newest act, its card shows the reply and the topic's new count.
  const rid = await app.reply(bob, id, 'The **first** answer');
  let cards = cardsOf(await get(), id);
  t.true(cards.length > 0);
  t.true(
    cards.some((h) => h.includes('The first answer') && h.includes('1 reply')),
    "the reply's card, with the topic's count",
  );
  t.false(
    cards.some((h) => h === first[0]),
    "the topic's kept card is not shown again",
  );
  t.deepEqual(cards, await uncached(app, get, id), 'as rendered without the cache');

  // Any writer of the rows the cards show: the topic's title, a reply's body, the accepted answer.
  await app.db('discussion_topics').where({ entity_id: id }).update({ title: 'Renamed topic' });
  t.true(
    cardsOf(await get(), id).every((h) => h.includes('Renamed topic')),
    'a new title on every card of the topic',
  );
  await app.db('discussion_replies').where({ id: rid }).update({ body: 'An edited answer' });
  t.true(
    cardsOf(await get(), id).some((h) => h.includes('An edited answer')),
    "a reply's edit shows on its card",
  );
  await app.db('discussion_topics').where({ entity_id: id }).update({ accepted_reply_id: rid });
  cards = cardsOf(await get(), id);
  t.true(
    cards.some((h) => h.includes('discussions-badge--answered')),
    'the answer shows',
  );
  t.deepEqual(cards, await uncached(app, get, id), 'as rendered without the cache');
  const hitReads = calls.reads;
  t.deepEqual(cardsOf(await get(), id), cards, 'kept again');
  t.is(calls.reads, hitReads, 'a hit reads no topic');

  // The reply deleted through the service: its card leaves the feed, the topic's count goes down.
  await app.replies.remove((await app.replies.find(rid))!);
  cards = cardsOf(await get(), id);
  t.false(
    cards.some((h) => h.includes('An edited answer')),
    'a deleted reply leaves the feed',
  );
  t.deepEqual(cards, await uncached(app, get, id), 'as rendered without the cache');
});

eachApp('a kept topic card is never shown to a viewer who may not see the topic', discApp, async (t, app) => {
  const ann = await app.member('ann');
  await app.member('cat');
  const id = await app.topic(ann, { title: 'Members only topic', access: 'members' });
  const c = await app.as('cat');
  t.true((await c.get('/activity')).text.includes('Members only topic'));
  t.true((await c.get('/activity')).text.includes('Members only topic'), 'kept for cat');
  const guest = await app.rt.db('entities').where({ id }).first('access');
  t.is(guest.access, 'members');
  await app.db('entities').where({ id }).update({ access: 'private' });
  t.false((await c.get('/activity')).text.includes('Members only topic'), 'made private: gone from the next page');
});
