// The people directory pages by keyset (plugins/connections/directory.ts): each sort (name,
// newest, most active) has its own compound key ending with the id; "Previous"/"Next" carry a
// cursor naming its sort, so members who sort first, arriving between requests, make nothing
// repeat or be skipped; the summary still counts every match; a cursor the list (or the sort:
// "newest" and "active" keys are both two integers) did not write is a localised 400; who is listed and who may read the directory is unchanged.
import { encodeCursor } from '../../../core';
import { relLink, walkLinksWhileAdding } from '../../helpers/api-clients';
import { addMemberships, addSubNetwork } from '../../helpers/members';
import { bulkMembers, eachConnApp } from './support';

const names = (html: string): string[] =>
  [...html.matchAll(/connections-person__name" href="[^"]*">[^<]*<\/a>\s*<span class="muted">@([^<]+)</g)].map((m) => m[1]);

eachConnApp('the directory walks each sort by cursor while members sorting first join between requests', async (t, app) => {
  await app.member('alice', 'Alice');
  const ids = await bulkMembers(app.db, 'Zed', 45, { start: 1_000 });
  const now = Date.now();
  const note = (owner: number) => ({ type: 'note', owner_id: owner, network_id: 1, access: 'members', created_at: now, updated_at: now });
  // Some activity, so "most active" is not the id order.
  await app.db('entities').insert([ids[30], ids[30], ids[12]].map(note));
  const alice = await app.as('alice');
  const read = async (path: string) => {
    const res = await alice.agent.http.get(path);
    t.is(res.status, 200, path);
    return { items: names(res.text), next: relLink(res.text, 'next') };
  };
  let made = 0;
  for (const sort of ['name', 'newest', 'active'] as const) {
    // Each newcomer sorts first in this order: named "Aa…", joined last, the most active.
    const arrive = async () => {
      const [id] = await bulkMembers(app.db, `Aa${made++}x`, 1);
      if (sort === 'active') await app.db('entities').insert([1, 2, 3, 4, 5].map(() => note(id)));
    };
    const first = `/people?sort=${sort}`;
    const before: string[] = [];
    for (let next: string | null = first; next;) {
      const page = await read(next);
      before.push(...page.items);
      next = page.next;
    }
    const walked = await walkLinksWhileAdding(first, read, arrive);
    t.deepEqual(walked.walked, before, `${sort}: each member once, in order`);
    t.true(before.length >= 47, `${sort}: ${before.length} listed`);
    for (const link of walked.links) t.regex(link, new RegExp(`^/people\\?sort=${sort}&after=[A-Za-z0-9_-]+$`));
    // The summary counts every match on every page, newcomers included.
    const last = await alice.agent.http.get(walked.links[walked.links.length - 1]);
    t.regex(last.text, new RegExp(`${before.length + walked.links.length} members`), sort);
  }
  t.deepEqual(names((await alice.agent.http.get('/people?sort=active&q=zed')).text).slice(0, 2), ['Zed030', 'Zed012']);
  // "Previous" from the second page lists the twenty before it.
  const firstPage = await alice.agent.http.get('/people?sort=newest');
  const second = await alice.agent.http.get(relLink(firstPage.text, 'next')!);
  const back = await alice.agent.http.get(relLink(second.text, 'prev')!);
  t.deepEqual(names(back.text), names(firstPage.text));
  t.is(relLink(back.text, 'prev'), null);
});

eachConnApp('directory cursors: one the list or the sort did not write is a 400; who may read it is unchanged', async (t, app) => {
  const alice = await app.member('alice', 'Alice');
  const ids = await bulkMembers(app.db, 'Zed', 22);
  await app.member('marie', 'Marie');
  await app.db('users').where({ username: 'marie' }).update({ locale: 'fr' });
  const page = await app.as('alice');
  const byName = encodeCursor(['zed 001', ids[1]]);
  const byTime = encodeCursor([Date.now(), ids[1]]);
  for (const path of [
    '/people?after=abc',
    `/people?sort=newest&after=${byName}`,
    `/people?sort=name&before=${byTime}`,
    `/people?after=${encodeCursor([1])}`,
  ]) {
    const res = await page.agent.http.get(path);
    t.is(res.status, 400, path);
    t.regex(res.text, /This page link is not valid for this list/);
  }
  t.regex((await (await app.as('marie')).agent.http.get('/people?after=abc')).text, /Ce lien de page n’est pas valable pour cette liste/);
  // "Newest" and "most active" keys are both two integers: a cursor names the sort that wrote it,
  // so one of the other sort (the sort changed in the address) is the same 400, never rows read in the wrong order.
  for (const [from, to] of [
    ['newest', 'active'],
    ['active', 'newest'],
    ['name', 'newest'],
  ]) {
    const link = relLink((await page.agent.http.get(`/people?sort=${from}`)).text, 'next')!;
    t.regex(link, new RegExp(`sort=${from}&after=`));
    t.is((await page.agent.http.get(link)).status, 200, link);
    const swapped = link.replace(`sort=${from}`, `sort=${to}`);
    const res = await page.agent.http.get(swapped);
    t.is(res.status, 400, swapped);
    t.regex(res.text, /This page link is not valid for this list/);
  }
  const next = relLink((await page.agent.http.get('/people?q=zed')).text, 'next')!;
  t.deepEqual(names((await page.agent.http.get(next)).text), ['Zed020', 'Zed021']);
  // A guest signs in first; a suspended member leaves the directory, cursor or not.
  t.is((await app.agent().http.get(next)).status, 302);
  await app.app.ruche.users.setStatus(ids[21], 'suspended');
  const after = await page.agent.http.get(next);
  t.deepEqual(names(after.text), ['Zed020']);
  t.regex(after.text, /21 members/);
  // In a sub-network, only its members are listed, after the cursor too.
  const paris = await addSubNetwork(app.app.ruche, 'paris', 'Paris office');
  await addMemberships(app.app.ruche, paris, [alice, ids[0], ids[5]]);
  t.deepEqual(names((await page.agent.http.get(`/n/paris/people?q=zed&after=${encodeCursor(['zed 001', ids[1]], 'name')}`)).text), ['Zed005']);
});
