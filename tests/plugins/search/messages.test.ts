/**
 * "Search within my messages" (the messages plugin's `/messages/search`) answers participants
 * only: a member outside the conversation, a moderator, an admin, a member who left, a member
 * of another network, a suspended participant and a guest find none of its words — and the
 * site search (`/search`) never lists a private message, even to its participants.
 */
import { ADMIN } from '../../helpers/app';
import { createMember, signedIn } from '../../helpers/members';
import { eachMsgApp } from '../messages/support';
import { isolatedPartner, markersIn } from './support';

eachMsgApp('messages are searched by their participants only', async (t, app) => {
  const rt = app.rt;
  const alice = await app.member('alice', 'Alice');
  await app.member('bob', 'Bob');
  await app.member('carol', 'Carol');
  await app.member('dave', 'Dave');
  const erin = await app.member('erin', 'Erin');
  const sam = await app.member('sam', 'Sam');
  await createMember(rt, 'mod', { role: 'moderator' });
  await app.start(alice, ['bob'], 'kiwi mkdirect');
  const group = await app.start(alice, ['bob', 'carol', 'erin', 'sam'], 'kiwi mkgroupchat');
  await app.service.leave(erin, await app.service.conversation(await app.viewer(erin), group));
  // An isolated partner network, its member and alice talking there.
  const partner = await isolatedPartner(rt, [alice]);
  await app.service.start(await app.viewer(alice), partner, ['pat'], '', 'kiwi mkpartnerchat');
  const suspended = await signedIn(app, 'sam');
  await rt.users.setStatus(sam, 'suspended');

  const expected: Record<string, string[]> = {
    alice: ['mkdirect', 'mkgroupchat'],
    bob: ['mkdirect', 'mkgroupchat'],
    carol: ['mkgroupchat'],
    dave: [],
    erin: [],
    mod: [],
    [ADMIN.username]: [],
  };
  for (const [name, markers] of Object.entries(expected)) {
    const agent = await signedIn(app, name);
    const res = await agent.http.get('/messages/search?q=kiwi');
    t.is(res.status, 200, name);
    t.deepEqual(markersIn(res.text), markers, `${name} in their messages`);
    const site = await agent.http.get('/search?q=kiwi');
    t.is(site.status, 200);
    t.deepEqual(markersIn(site.text), [], `${name}: the site search lists no message`);
  }
  const asAlice = await signedIn(app, 'alice');
  t.deepEqual(markersIn((await asAlice.http.get('/n/partner/messages/search?q=kiwi')).text), ['mkpartnerchat'], 'alice in the partner network');
  const asPat = await signedIn(app, 'pat', 'violet staple engine 7');
  t.deepEqual(markersIn((await asPat.http.get('/n/partner/messages/search?q=kiwi')).text), ['mkpartnerchat'], 'pat in their network');
  const atRoot = await asPat.http.get('/messages/search?q=kiwi');
  t.is(atRoot.status, 403, 'pat is an outsider at the root');
  t.deepEqual(markersIn(atRoot.text), []);
  const asDave = await signedIn(app, 'dave');
  const outsider = await asDave.http.get('/n/partner/messages/search?q=kiwi');
  t.is(outsider.status, 403, 'a root member outside the partner network');
  t.deepEqual(markersIn(outsider.text), []);
  const asSam = await suspended.http.get('/messages/search?q=kiwi');
  t.not(asSam.status, 200, 'a suspended participant');
  t.deepEqual(markersIn(asSam.text), []);
  const guest = await app.agent().http.get('/messages/search?q=kiwi');
  t.not(guest.status, 200, 'a guest');
  t.deepEqual(markersIn(guest.text), []);
});

eachMsgApp('search within my messages folds accents and endings, in French and English, as the site search', async (t, app) => {
  const alice = await app.member('alice', 'Alice');
  await app.member('bob', 'Bob');
  await app.member('carol', 'Carol');
  await app.member('dave', 'Dave');
  const root = app.rt.networks.root().id;
  const asAlice = await app.viewer(alice);
  await app.service.start(asAlice, root, ['bob'], '', 'Voici mon Résumé mkresume');
  await app.service.start(asAlice, root, ['bob'], '', 'RESUME IN CAPITALS mkupper');
  await app.service.start(asAlice, root, ['carol'], '', "Le CAFÉ de l'été mkcafe");
  await app.service.start(asAlice, root, ['carol'], '', 'a naïve approach mknaive');
  await app.service.start(asAlice, root, ['carol'], '', 'rasume is not a word mkwrong');
  await app.service.start(asAlice, root, ['dave'], 'Réunion à Lyon', 'nothing else mksubject');
  const agent = await signedIn(app, 'alice');
  // The messages found (a conversation's row shows its last message: the list after the rows).
  const found = async (q: string): Promise<string[]> => {
    const res = await agent.http.get(`/messages/search?q=${encodeURIComponent(q)}`);
    t.is(res.status, 200, q);
    return markersIn(res.text.split('class="messages-list"')[1] ?? '');
  };
  t.deepEqual(await found('resume'), ['mkresume', 'mkupper'], 'resume finds Résumé and RESUME, not rasume');
  t.deepEqual(await found('résumés'), ['mkresume', 'mkupper'], 'an accented plural finds both');
  t.deepEqual(await found('cafe ete'), ['mkcafe'], 'every word, accents folded');
  t.deepEqual(await found('cafe hiver'), [], 'a word missing: nothing');
  t.deepEqual(await found('NAIVE'), ['mknaive'], 'English: naïve');
  const bySubject = await agent.http.get('/messages/search?q=reunion+lyon');
  t.regex(bySubject.text, /Réunion à Lyon/, 'a subject, accents folded: its conversation is listed');
  t.deepEqual(markersIn(bySubject.text), ['mksubject'], 'that conversation only');
  t.deepEqual(await found('!!!'), [], 'no word: nothing');
});
