// A card in a feed carries one reaction control (issue 18: 136 buttons for 20 entries):
// my reaction (a click withdraws it) or the first enabled one, the reactions chosen and a
// link to the picker, the who-reacted page, which offers every enabled reaction and comes
// back to the card. Everything works without JavaScript (forms and links).
import { eachSocialApp } from '../comments/support';

const panelOf = (html: string, id: number): string => {
  const start = html.indexOf(`id="reactions-${id}"`);
  return start < 0 ? '' : html.slice(start, html.indexOf('</div>\n</div>', start));
};
const buttons = (html: string): string[] => [...html.matchAll(/<button[^>]*value="(\w+)"/g)].map((m) => m[1]);

eachSocialApp('a feed card has one reaction button and a picker that offers the others and comes back', async (t, app) => {
  const alice = await app.member('alice');
  await app.member('bob');
  const one = await app.note(alice, 'members');
  const two = await app.note(alice, 'members');
  const b = await app.as('bob');
  const feedPath = `/fixture/entities?ids=${one},${two}`;

  const before = await b.agent.http.get(feedPath);
  t.is(before.status, 200);
  t.deepEqual(buttons(panelOf(before.text, one)), ['like'], 'one button per card: the first enabled reaction');
  t.deepEqual(buttons(before.text), ['like', 'like'], 'and nothing else on the page');
  t.is(before.text.match(/likes\.css/g)?.length, 1, 'the stylesheet once, not once per card');
  const pickHref = /class="reactions__pick" href="([^"]+)"/.exec(panelOf(before.text, one))![1].replace(/&#x3D;/g, '=');
  t.is(pickHref, `/entities/${one}/reactions?next=${encodeURIComponent(`${feedPath}#reactions-${one}`)}`);

  // The picker: every enabled reaction, and its form comes back to the card.
  const picker = await b.agent.http.get(pickHref);
  t.is(picker.status, 200);
  t.regex(picker.text, /Choose your reaction/);
  t.deepEqual(buttons(picker.text), ['like', 'love', 'celebrate', 'insightful', 'laugh', 'support']);
  const next = /<input type="hidden" name="next" value="([^"]+)"/.exec(picker.text)![1].replace(/&#x3D;/g, '=');
  const reacted = await b.post(`/entities/${one}/react`, { reaction: 'celebrate', next });
  t.is(reacted.status, 303);
  t.is(reacted.headers.location, `${feedPath}#reactions-${one}`);

  // Back on the feed: the one button is mine (pressed, withdraws), the count shows.
  const after = await b.agent.http.get(feedPath);
  const mine = panelOf(after.text, one);
  t.deepEqual(buttons(mine), ['celebrate']);
  t.regex(mine, /action="\/entities\/\d+\/unreact"/);
  t.regex(mine, /class="reaction reaction--mine" aria-pressed="true"/);
  t.regex(mine, /🎉<\/span> 1 reaction · who reacted/);
  t.deepEqual(buttons(panelOf(after.text, two)), ['like'], 'the other card is unchanged');
  t.is((await b.post(`/entities/${one}/unreact`, { next: feedPath })).status, 303);
  t.deepEqual(buttons(panelOf((await b.agent.http.get(feedPath)).text, one)), ['like'], 'withdrawn');

  // In French.
  await app.db('users').where({ id: alice }).update({ locale: 'fr' });
  const a = await app.as('alice');
  const fr = await a.agent.http.get(feedPath);
  t.regex(panelOf(fr.text, one), /Autres réactions/);
  t.regex((await a.agent.http.get(`/entities/${one}/reactions`)).text, /Choisissez votre réaction/);
});
