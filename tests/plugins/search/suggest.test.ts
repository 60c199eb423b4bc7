/**
 * The group suggestions while typing (issue 21): a prefix of two or three characters is read from
 * the index's prefix lists (search migration 005), a longer one from the words it starts; both
 * answer the same groups, those the viewer may see (a secret group only to its members).
 */
import { makeApp } from '../../helpers/app';
import { eachApp } from '../../helpers/each-app';
import { createMember, formGroup, pageAgent, signedIn } from '../../helpers/members';
import { statusPost } from './support';

eachApp('group suggestions: the same groups whatever the prefix’s length, only those the viewer may see', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const olga = await createMember(rt, 'olga');
  const cora = await createMember(rt, 'cora');
  await createMember(rt, 'mia');
  const founder = pageAgent(await signedIn(app, 'olga'), '/groups/new');
  await formGroup(founder, rt, { name: 'Quokka lab', description: '', category: 'social', visibility: 'open' });
  await formGroup(founder, rt, { name: 'Quokka cellar', description: '', category: 'social', visibility: 'secret' }, [cora]);
  await statusPost(rt, olga, 'quokka pond');
  const groupsFor = async (name: string, q: string): Promise<string[]> => {
    const res = await (await signedIn(app, name)).http.get(`/search/suggest?q=${encodeURIComponent(q)}`);
    t.is(res.status, 200, `${name}, ${q}`);
    return (res.body as { groups: { label: string }[] }).groups.map((g) => g.label).sort();
  };
  for (const q of ['qu', 'quo', 'quok', 'quokk', 'quokka', 'Quo', 'lab quo']) {
    const both = q === 'lab quo' ? ['Quokka lab'] : ['Quokka cellar', 'Quokka lab'];
    t.deepEqual(await groupsFor('cora', q), both, `a member of the secret group, ${q}`);
    t.deepEqual(await groupsFor('mia', q), ['Quokka lab'], `a member outside it, ${q}`);
  }
  t.deepEqual(await groupsFor('cora', 'ce'), ['Quokka cellar'], 'a second word of a title, two characters');
  t.deepEqual(await groupsFor('mia', 'cel'), [], 'the secret group’s word, to an outsider');
  t.deepEqual(await groupsFor('cora', 'po'), [], 'a post’s word suggests no group');
  t.deepEqual(await groupsFor('cora', 'qx'), [], 'a prefix no word starts with');
});
