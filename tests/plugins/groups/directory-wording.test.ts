// Issue 27 item 10: a search of the group directory with no match says so ("No group
// matches your search"), not "No groups yet"; a network without groups says "No groups yet".
// English and French.
import { eachApp } from '../../helpers/each-app';
import { groupApp } from './support';

eachApp('the group directory tells an empty network from a search without a match', groupApp, async (t, app) => {
  await app.member('anna');
  const anna = await app.as('anna');
  let res = await anna.agent.http.get('/groups');
  t.regex(res.text, /No groups yet/);
  t.notRegex(res.text, /No group matches/);
  await app.group('anna', { name: 'Choir', visibility: 'open' });
  res = await anna.agent.http.get('/groups?q=zzz');
  t.is(res.status, 200);
  t.regex(res.text, /No group matches your search/);
  t.notRegex(res.text, /No groups yet/);
  t.is(res.text.match(/No group matches/g)?.length, 1, 'said once, in the heading; the card says what to do next');
  t.regex(res.text, /Try other words or another category\.<\/p><p><a class="btn btn-secondary" href="\/groups">See all groups<\/a>/);
  res = await anna.agent.http.get('/groups?q=cho');
  t.regex(res.text, /1 group matches your search/);
  await app.rt.db('users').where({ username_lower: 'anna' }).update({ locale: 'fr' });
  res = await anna.agent.http.get('/groups?q=zzz');
  t.regex(res.text, /Aucun groupe ne correspond à votre recherche/);
  t.notRegex(res.text, /Aucun groupe pour l’instant/);
});
