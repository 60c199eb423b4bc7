/**
 * French and English text: accents folded both ways, plurals and endings stemmed, hashtags
 * found, "did you mean" for a close spelling (never a word the viewer may not see), excerpts
 * highlighted and escaped, and the index kept current as text changes.
 */
import { makeApp } from '../../helpers/app';
import { eachApp } from '../../helpers/each-app';
import { createMember, signedIn } from '../../helpers/members';
import { markersIn, statusPost, tabCounts } from './support';

eachApp('accents fold and words stem in French and English; did you mean; escaped excerpts', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const olga = await createMember(rt, 'olga');
  await createMember(rt, 'mia');
  await statusPost(rt, olga, 'Le résumé des réunions sur le budget est prêt mkfrench');
  await statusPost(rt, olga, 'The team is planning meetings about the budget mkenglish');
  await statusPost(rt, olga, 'Café <b>crème</b> & "quotes" mkescape');
  await statusPost(rt, olga, 'Launch checklist for #roadmap mktagged');
  await statusPost(rt, olga, 'Confidential merger zanzibar mksecret', { access: 'private' });
  const mia = await signedIn(app, 'mia');
  const find = async (q: string): Promise<string[]> => markersIn((await mia.http.get(`/search?q=${encodeURIComponent(q)}`)).text);

  t.deepEqual(await find('resume'), ['mkfrench'], 'resume finds résumé');
  t.deepEqual(await find('RÉSUMÉ'), ['mkfrench'], 'accents and case in the query fold too');
  t.deepEqual(await find('réunion'), ['mkfrench'], 'singular finds plural (French)');
  t.deepEqual(await find('meeting plan'), ['mkenglish'], 'stems in English (meetings, planning)');
  t.deepEqual(await find('budget'), ['mkenglish', 'mkfrench']);
  t.deepEqual(await find('#roadmap'), ['mktagged'], 'a hashtag');
  t.deepEqual(await find('creme'), ['mkescape']);

  const escaped = (await mia.http.get('/search?q=creme')).text;
  t.true(escaped.includes('<mark>crème</mark>'), 'the word found is marked');
  t.true(escaped.includes('&lt;b&gt;'), 'the text is escaped');
  t.false(escaped.includes('<b>crème'), 'no markup of the author reaches the page');

  // Did you mean: a close spelling that finds something for this viewer.
  const typo = (await mia.http.get('/search?q=budjet')).text;
  t.regex(typo, /Did you mean: <a href="\/search\?q&#x3D;budget">budget<\/a>/);
  // ...never a word only in what the viewer may not see.
  const hidden = (await mia.http.get('/search?q=zanzibaar')).text;
  t.false(hidden.includes('zanzibar'), 'no suggestion from a private post');
  t.true(hidden.includes('Nothing you may see matches'));

  // Edits and deletions are seen by the next search.
  const post = await statusPost(rt, olga, 'Quarterly numbers mkedited');
  t.deepEqual(await find('quarterly'), ['mkedited']);
  await rt.db.transaction(async (trx) => {
    await trx('status_posts').where({ entity_id: post }).update({ body: 'Yearly numbers mkedited' });
    await rt.entities.update(post, {}, trx);
  });
  t.deepEqual(await find('quarterly'), [], 'the old words are gone');
  t.deepEqual(await find('yearly'), ['mkedited'], 'the new ones found');
  await rt.entities.update(post, { access: 'private' });
  t.deepEqual(await find('yearly'), [], 'made private: gone for others at once');
  await rt.entities.softDelete(post);
  const olgaAgent = await signedIn(app, 'olga');
  t.deepEqual(markersIn((await olgaAgent.http.get('/search?q=yearly')).text), [], 'deleted: gone for its owner too');

  // An emptied index (a restored backup leaves derived tables out) is built again by the catch-up job;
  // a search itself writes nothing.
  await rt.db(rt.dialect === 'sqlite' ? 'search_fts' : 'derived_search_docs').delete();
  t.deepEqual(await find('resume'), [], 'a search does not build the index');
  await rt.jobs.ensureRecurring(Date.now());
  await rt.jobs.runDue({ now: Date.now() + 60_000 });
  t.deepEqual(await find('resume'), ['mkfrench'], 'the catch-up job rebuilt it');

  // People: names are folded when written, and again when changed.
  const people = async (q: string): Promise<number> => tabCounts((await mia.http.get(`/search?q=${encodeURIComponent(q)}&tab=people`)).text).People;
  await rt.db('users').where({ id: olga }).update({ display_name: 'Zoé Lefèvre' });
  t.is(await people('zoe lefevre'), 1, 'a renamed member is found by the new name, accents folded');
  t.is(await people('ZOÉ'), 1);
  await createMember(rt, 'hel', { displayName: 'Hélène Ångström' });
  t.is(await people('helene angstrom'), 1, 'a new member is found at once');

  // French page.
  const fr = await mia.http.get('/search?q=resume').set('Accept-Language', 'fr');
  t.regex(fr.text, /Résultats pour/);
  t.is(tabCounts(fr.text).Tout, 1);
});

eachApp('bad filters answer 422 with a message and keep what was typed', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  await createMember(rt, 'mia');
  const mia = await signedIn(app, 'mia');
  const bad = await mia.http.get('/search?q=budget&from=2026-13-45&author=nobody');
  t.is(bad.status, 422);
  t.true(bad.text.includes('Write a date such as 2026-03-31.'));
  t.true(bad.text.includes('No member named “nobody” here.'));
  t.true(bad.text.includes('value="2026-13-45"'));
  t.true(bad.text.includes('value="budget"'));
  const frBad = await mia.http.get('/search?q=budget&to=hier').set('Accept-Language', 'fr');
  t.is(frBad.status, 422);
  t.true(frBad.text.includes('Écrivez une date comme 2026-03-31.'));
  const backwards = await mia.http.get('/search?q=budget&from=2026-05-02&to=2026-05-01');
  t.is(backwards.status, 422);
  const group = await mia.http.get('/search?q=budget&group=999999');
  t.is(group.status, 422);
});
