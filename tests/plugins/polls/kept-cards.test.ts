// A closed poll's panel kept by version (issue 18, polls migrations 003-004): on a status post's feed card, a
// closed poll (outside a group) is kept with the card; a vote's rows, an option's count or label, the poll's
// row (reopened) and its deletion, by any writer, show on the next page, as rendered without the cache; an open
// poll's card is read on every page (it closes with time). Two viewers never get each other's ballot (both
// databases).
import { statementsDuring } from '../../helpers/statements';
import { eachPollsApp, vote, type PollsApp } from './support';

type Agent = Awaited<ReturnType<PollsApp['as']>>;

function cardOf(html: string, id: number): string {
  const m = new RegExp(`<article[^>]*data-entity="${id}"[\\s\\S]*?</article>`).exec(html);
  return m ? m[0].replace(/name="_csrf" value="[^"]+"/g, '').replace(/<time[^>]*>[^<]*<\/time>/g, '<time></time>') : '';
}

async function feedCard(app: PollsApp, who: Agent, id: number): Promise<{ card: string; read: boolean; uncached: string }> {
  const { value, sql } = await statementsDuring(app.rt, () => who.agent.http.get('/activity'));
  const options = app.rt.views.fragments.options as { enabled: boolean };
  options.enabled = false;
  try {
    const plain = await who.agent.http.get('/activity');
    return { card: cardOf(value.text, id), read: sql.some((s) => /polls_polls/.test(s)), uncached: cardOf(plain.text, id) };
  } finally {
    options.enabled = true;
  }
}

eachPollsApp("a closed poll's panel is kept with its post's card, and every writer of its rows changes it", async (t, app) => {
  await app.member('olga', 'Olga');
  await app.member('mia', 'Mia');
  await app.member('fred', 'Fred');
  const status = await app.post('olga', 'Lunch on Friday?');
  const o = await app.as('olga');
  t.is((await o.post('/polls', { on: String(status), question: 'Which place?', options: 'Canteen\nPark', results: 'always' })).status, 303);
  const poll = Number((await app.db('polls_polls').where({ parent_entity_id: status }).first('entity_id'))!.entity_id);
  const [canteen, park] = await app.optionIds(poll);
  const m = await app.as('mia');
  const f = await app.as('fred');
  t.is((await vote(m, poll, [canteen])).status, 303);
  await feedCard(app, m, status);
  t.true((await feedCard(app, m, status)).read, 'an open poll is read on every page');

  await app.db('polls_polls').where({ entity_id: poll }).update({ closed_at: Date.now() });
  const closed = await feedCard(app, m, status);
  t.true(closed.card.includes('Which place?'));
  t.is(closed.card, closed.uncached);
  const kept = await feedCard(app, m, status);
  t.false(kept.read, 'a closed poll is kept: not read');
  t.is(kept.card, closed.card);
  const other = await feedCard(app, f, status);
  t.not(other.card, kept.card, "fred's card is not mia's (her ballot)");
  t.is(other.card, other.uncached);

  // Any writer of the rows the panel shows: an option's count and label, a ballot gone.
  await app.db('polls_options').where({ id: park }).update({ votes: 7, label: 'The park' });
  const counted = await feedCard(app, m, status);
  t.true(counted.card.includes('The park'), "an option's label");
  t.is(counted.card, counted.uncached);
  await app.db('polls_choices').where({ poll_id: poll }).delete();
  await app.db('polls_voters').where({ poll_id: poll }).delete();
  const erased = await feedCard(app, m, status);
  t.not(erased.card, counted.card, 'a ballot gone');
  t.is(erased.card, erased.uncached);
  // Deleted through the service: the post's card no longer shows it.
  t.is((await o.post(`/polls/${poll}/delete`)).status, 303);
  const gone = await feedCard(app, m, status);
  t.false(gone.card.includes('Which place?'), 'a deleted poll');
  t.is(gone.card, gone.uncached);
});
