/**
 * The people search reads the profile fields an admin marks searchable (and the built-in job
 * title, department and location), each only where the viewer may see its value: a field shown
 * to connections or kept private never finds its owner for another viewer, nor adds to the
 * People count; a field not marked searchable finds no one; a partner network finds its own
 * members only. The matching field shows under each person.
 */
import { ADMIN, makeApp } from '../../helpers/app';
import { eachApp } from '../../helpers/each-app';
import { pageAgent, signedIn } from '../../helpers/members';
import { isolatedPartner, searchViewers, tabCounts } from './support';

/** The usernames the People list of a results page shows, sorted. */
const peopleIn = (html: string): string[] => [...html.matchAll(/<div class="muted">@([a-z0-9_]+)<\/div>/g)].map((m) => m[1]).sort();

eachApp('people search: searchable profile fields, for the viewers who may see them, counts included', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const { olga, nina, sam } = await searchViewers(rt, ['olga', 'nina', 'fred', 'mia', 'mod', 'sam']);
  // The admin marks "Site" searchable on the fields page; the other fields are made the same way.
  const admin = pageAgent(await signedIn(app, ADMIN.username), '/admin/profile-fields');
  const field = async (key: string, label: string, visibility: string, searchable: boolean): Promise<number> => {
    const res = await admin.post('/admin/profile-fields', {
      key,
      label_en: label,
      label_fr: `${label} (fr)`,
      type: 'text',
      visibility,
      ...(searchable ? { searchable: 'on' } : {}),
    });
    t.is(res.status, 303, key);
    return Number((await rt.db('profile_fields').where({ key }).first('id')).id);
  };
  const site = await field('site', 'Site', 'members', true);
  const badge = await field('badge', 'Badge', 'friends', true);
  const secret = await field('secret', 'Secret', 'private', true);
  const hobby = await field('hobby', 'Hobby', 'members', false);
  const fieldsPage = await admin.get('/admin/profile-fields');
  t.regex(
    fieldsPage.text,
    /data-field-id="\d+">(?:(?!<\/tr>)[\s\S])*Site(?:(?!<\/tr>)[\s\S])*data-label="Searchable">Yes/,
    'the list says which are searchable',
  );
  t.regex((await admin.get(`/admin/profile-fields/${hobby}`)).text, /id="field-searchable" name="searchable" value="on" aria-describedby/);
  t.regex(
    (await admin.get(`/admin/profile-fields/${site}`)).text,
    /id="field-searchable" name="searchable" value="on" aria-describedby="field-searchable-hint" checked/,
  );
  await rt.db('profiles').insert({ user_id: olga, department: 'Logistique Éole', updated_at: Date.now() });
  const values: [number, number, string][] = [
    [olga, site, 'Grenoble'],
    [olga, badge, 'Zéphyrin'],
    [olga, secret, 'Quokka'],
    [olga, hobby, 'Wombat'],
    [nina, site, 'Grenoble'],
  ];
  for (const [user_id, field_id, value] of values) await rt.db('profile_values').insert({ user_id, field_id, value });
  // An isolated partner network holding olga (not nina) and its own member pat.
  await isolatedPartner(rt, [olga]);
  const suspended = await signedIn(app, 'sam');
  await rt.users.setStatus(sam, 'suspended');

  const everyone = ['olga', 'fred', 'mia', 'mod', ADMIN.username];
  const expected: Record<string, Record<string, string[]>> = {
    grenoble: Object.fromEntries(everyone.map((n) => [n, ['nina', 'olga']])),
    ÉOLE: Object.fromEntries(everyone.map((n) => [n, ['olga']])),
    zephyrin: { olga: ['olga'], fred: ['olga'], mia: [], mod: [], [ADMIN.username]: ['olga'] },
    quokka: { olga: ['olga'], fred: [], mia: [], mod: [], [ADMIN.username]: ['olga'] },
    wombat: Object.fromEntries(everyone.map((n) => [n, []])),
    'olga grenoble': Object.fromEntries(everyone.map((n) => [n, ['olga']])),
  };
  for (const [q, byViewer] of Object.entries(expected)) {
    for (const [name, people] of Object.entries(byViewer)) {
      const res = await (await signedIn(app, name)).http.get(`/search?q=${encodeURIComponent(q)}&tab=people`);
      t.is(res.status, 200, `${name}, ${q}`);
      t.deepEqual(peopleIn(res.text), people, `${name} searching ${q}`);
      t.is(tabCounts(res.text).People, people.length, `${name}'s people count, ${q}`);
    }
    const guest = await app.agent().http.get(`/search?q=${encodeURIComponent(q)}&tab=people`);
    t.deepEqual(peopleIn(guest.text), [], `a guest, ${q}`);
    t.is(tabCounts(guest.text).People, 0);
    const asSam = await suspended.http.get(`/search?q=${encodeURIComponent(q)}&tab=people`);
    t.deepEqual(peopleIn(asSam.text), [], `a suspended member, ${q}`);
  }
  // Everything counts the people it lists: only people say "grenoble", and only its own tab is counted besides.
  const everything = await (await signedIn(app, 'fred')).http.get('/search?q=grenoble');
  t.deepEqual(tabCounts(everything.text), { Everything: 2, People: 2 });
  // The partner's member finds the partner network's members by what the access model lets them see.
  const asPat = await signedIn(app, 'pat', 'violet staple engine 7');
  for (const [q, people] of [
    ['grenoble', ['olga']],
    ['eole', ['olga']],
    ['zephyrin', []],
    ['quokka', []],
  ] as const) {
    const res = await asPat.http.get(`/n/partner/search?q=${q}&tab=people`);
    t.deepEqual(peopleIn(res.text), [...people], `pat in the partner network, ${q}`);
    t.is(tabCounts(res.text).People, people.length);
  }
  // The matching field shows under the person, and only the fields that matched.
  const asFred = await (await signedIn(app, 'fred')).http.get('/search?q=zephyrin+grenoble');
  t.regex(asFred.text, /<span class="muted">Badge:<\/span> Zéphyrin<\/div>/);
  t.regex(asFred.text, /<span class="muted">Site:<\/span> Grenoble<\/div>/);
  t.notRegex(asFred.text, /Logistique|Quokka|Wombat/);
  const asMia = await (await signedIn(app, 'mia')).http.get('/search?q=eole');
  t.regex(asMia.text, /<span class="muted">Department:<\/span> Logistique Éole<\/div>/);
  t.notRegex(asMia.text, /Zéphyrin|Quokka/);
  // The index follows every write at once: an admin's edit of a field, a profile saved, a value removed.
  const names = async (who: string, q: string): Promise<string[]> =>
    peopleIn((await (await signedIn(app, who)).http.get(`/search?q=${encodeURIComponent(q)}&tab=people`)).text);
  const edited = await admin.post(`/admin/profile-fields/${badge}`, {
    key: 'badge',
    label_en: 'Badge',
    label_fr: 'Badge (fr)',
    type: 'text',
    visibility: 'members',
    searchable: 'on',
  });
  t.is(edited.status, 303);
  t.deepEqual(await names('mia', 'zephyrin'), ['olga'], 'a field shown to members now finds its owner for every member');
  const unmarked = await admin.post(`/admin/profile-fields/${site}`, {
    key: 'site',
    label_en: 'Site',
    label_fr: 'Site (fr)',
    type: 'text',
    visibility: 'members',
  });
  t.is(unmarked.status, 303);
  t.deepEqual(await names('mia', 'grenoble'), [], 'a field no longer searchable finds no one');
  await rt.db('profiles').where({ user_id: olga }).update({ department: 'Comptabilité' });
  t.deepEqual(await names('mia', 'comptabilite'), ['olga'], 'a saved profile is found by its new words, accents folded');
  t.deepEqual(await names('mia', 'eole'), [], 'and no longer by its old ones');
  await rt.db('profile_values').where({ user_id: olga, field_id: badge }).delete();
  t.deepEqual(await names('mia', 'zephyrin'), [], 'a removed value finds no one');
  // The statement is kept built by the plugins answering the hook: a second plugin's answer (here
  // the polls plugin's, for the word "kiwi") counts while it is enabled in the network only.
  rt.hooks.addFilter(
    'people:searchMatches',
    (v, c) => (c.word === 'kiwi' ? [...v, rt.db('users').where({ username: 'nina' }).select('id as user_id')] : v),
    {
      pluginId: 'polls',
    },
  );
  t.deepEqual(await names('mia', 'kiwi'), ['nina']);
  await rt.pluginState.disable('polls');
  t.deepEqual(await names('mia', 'kiwi'), [], 'no answer from a plugin disabled in the network');
  await rt.pluginState.enable('polls');
  t.deepEqual(await names('mia', 'kiwi'), ['nina'], 'and its answer again once it is enabled');
});
