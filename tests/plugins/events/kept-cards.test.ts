// Event cards kept by version (issue 18, events migration 005): an event's feed card is kept once time
// no longer changes it (over, or cancelled): an upcoming event's card is described on every page (its
// "past" badge comes with time); every writer of its row changes the kept card on the next page, as
// rendered without the cache (both databases).
import { statementsDuring } from '../../helpers/statements';
import type { PageAgent } from '../../helpers/members';
import { DAY, HOUR, eachEventApp, type EventApp } from './support';

function cardOf(html: string, id: number): string {
  const m = new RegExp(`<article[^>]*data-entity="${id}"[\\s\\S]*?</article>`).exec(html);
  return m ? m[0].replace(/name="_csrf" value="[^"]+"/g, '').replace(/<time[^>]*>[^<]*<\/time>/g, '<time></time>') : '';
}

/** The card of `id` in the network feed, whether the page read events, and the card without the cache. */
async function feedCard(app: EventApp, who: PageAgent, id: number): Promise<{ card: string; read: boolean; uncached: string }> {
  const { value, sql } = await statementsDuring(app.rt, () => who.get('/activity'));
  const options = app.rt.views.fragments.options as { enabled: boolean };
  options.enabled = false;
  try {
    const plain = await who.get('/activity');
    return { card: cardOf(value.text, id), read: sql.some((s) => /from events where/.test(s)), uncached: cardOf(plain.text, id) };
  } finally {
    options.enabled = true;
  }
}

eachEventApp("an event's card is kept once over or cancelled, and every writer of its row changes it", async (t, app) => {
  if (!app.rt.routes.get('activity.network')) return void t.pass();
  const ann = await app.member('ann');
  await app.member('bob');
  const id = await app.plan(ann, { title: 'Kept event' });
  const b = await app.as('bob');
  t.true((await feedCard(app, b, id)).card.includes('Kept event'));
  t.true((await feedCard(app, b, id)).read, 'an upcoming event is read on every page');

  const past = Date.now() - 2 * DAY;
  await app
    .db('events')
    .where({ entity_id: id })
    .update({ starts_at: past, ends_at: past + 2 * HOUR });
  const over = await feedCard(app, b, id);
  t.true(over.card.includes('Past'), 'the past badge');
  t.is(over.card, over.uncached);
  const kept = await feedCard(app, b, id);
  t.false(kept.read, 'a past event is kept: not read');
  t.is(kept.card, over.card);

  await app.db('events').where({ entity_id: id }).update({ title: 'Renamed event' });
  const renamed = await feedCard(app, b, id);
  t.true(renamed.card.includes('Renamed event'), 'a new title');
  t.is(renamed.card, renamed.uncached);
  await app.db('events').where({ entity_id: id }).update({ status: 'cancelled' });
  const cancelled = await feedCard(app, b, id);
  t.true(cancelled.card.includes('Cancelled'), 'the cancelled badge');
  t.is(cancelled.card, cancelled.uncached);
});
