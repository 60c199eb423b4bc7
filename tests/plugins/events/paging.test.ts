// The upcoming and past events page by keyset (plugins/events/service.ts: upcoming by start
// ascending, past by start descending, the id breaking ties): events that sort first, planned
// between requests, make nothing repeat or be skipped; a cursor the list did not write is a
// localised 400; an old `?page=N` opens the first page; and a group's events stay its members'.
import { encodeCursor } from '../../../core';
import { relLink, walkLinksWhileAdding } from '../../helpers/api-clients';
import { listOutsiders } from '../../helpers/list-outsiders';
import { DAY, eachEventApp, HOUR } from './support';

const ids = (html: string): number[] => [...html.matchAll(/data-event="(\d+)"/g)].map((m) => Number(m[1]));

eachEventApp('upcoming and past events page by cursor while events sorting first are planned between requests', async (t, app) => {
  const olga = await app.member('olga');
  const now = Date.now();
  const upcoming: { id: number; at: number }[] = [];
  const past: { id: number; at: number }[] = [];
  for (let i = 0; i < 45; i++) {
    // Two events at each start: the id breaks the tie.
    const at = now + 2 * DAY + Math.floor(i / 2) * HOUR;
    upcoming.push({ id: await app.plan(olga, { title: `Soon ${i}`, startsAt: at, endsAt: at + HOUR }), at });
    const then = now - 2 * DAY - Math.floor(i / 2) * HOUR;
    past.push({ id: await app.plan(olga, { title: `Then ${i}`, startsAt: then, endsAt: then + HOUR }), at: then });
  }
  const o = await app.as('olga');
  const read = async (path: string) => {
    const res = await o.get(path);
    t.is(res.status, 200, path);
    return { items: ids(res.text), next: relLink(res.text, 'next') };
  };
  let k = 0;
  const lists = [
    // Upcoming: sooner than every other; past: ended, but started later than every other.
    {
      path: '/events',
      made: upcoming,
      order: (a: { id: number; at: number }, b: { id: number; at: number }) => a.at - b.at || a.id - b.id,
      at: () => now + DAY - k * 60_000,
    },
    {
      path: '/events/past',
      made: past,
      order: (a: { id: number; at: number }, b: { id: number; at: number }) => b.at - a.at || a.id - b.id,
      at: () => now - DAY + k * 60_000,
    },
  ];
  for (const list of lists) {
    const arrive = () => (k++, app.plan(olga, { title: `New ${k}`, startsAt: list.at(), endsAt: list.at() + HOUR }));
    const walked = await walkLinksWhileAdding(list.path, read, arrive);
    t.is(new Set(walked.walked).size, walked.walked.length, `${list.path}: nothing twice`);
    t.deepEqual(
      walked.walked,
      [...list.made].sort(list.order).map((e) => e.id),
      `${list.path}: each once, in order`,
    );
    t.is(walked.links.length, 2);
    t.regex(walked.links[0], new RegExp(`^${list.path}\\?after=[A-Za-z0-9_-]+$`));
    // "Previous" from the third page lists the twenty events just before it.
    const third = await o.get(walked.links[1]);
    const all = (await walkLinksWhileAdding(list.path, read, async () => undefined)).walked;
    const at = all.indexOf(ids(third.text)[0]);
    t.deepEqual(ids((await o.get(relLink(third.text, 'prev')!)).text), all.slice(at - 20, at), `${list.path}: previous`);
  }
  const first = await o.get('/events');
  t.deepEqual(ids((await o.get('/events?page=3')).text), ids(first.text), 'an old numbered link opens the first page');
  t.is(relLink(first.text, 'prev'), null);
  for (const path of ['/events?after=abc', `/events/past?before=${encodeCursor(['x', 1])}`, `/events?after=${encodeCursor([1])}`]) {
    const res = await o.get(path);
    t.is(res.status, 400, path);
    t.regex(res.text, /This page link is not valid for this list/);
  }
  await app.db('users').where({ id: olga }).update({ locale: 'fr' });
  t.regex((await (await app.as('olga')).get('/events/past?after=abc')).text, /Ce lien de page n’est pas valable pour cette liste/);
});

eachEventApp('a group’s events stay its members’ on every page of the event lists', async (t, app) => {
  const olga = await app.member('olga');
  const c = await app.container(olga, []);
  const now = Date.now();
  for (let i = 0; i < 25; i++) {
    await app.plan(olga, { title: `Open ${i}`, access: 'members', startsAt: now + DAY + i * HOUR }, c);
    await app.plan(olga, { title: `Open past ${i}`, access: 'members', startsAt: now - DAY - i * HOUR, endsAt: now - DAY - i * HOUR + 60_000 }, c);
  }
  for (let i = 0; i < 3; i++) {
    await app.plan(olga, { title: `Secret ${i}`, access: 'group', startsAt: now + 3 * DAY + i * HOUR }, c);
    await app.plan(olga, { title: `Secret past ${i}`, access: 'group', startsAt: now - 3 * DAY, endsAt: now - 3 * DAY + 60_000 }, c);
  }
  const { hidden } = await listOutsiders(app, c);
  const soon = encodeCursor([now + 2 * DAY, 0]);
  const lately = encodeCursor([now - 2 * DAY, 0]);
  for (const path of [`/events?after=${soon}`, `/events/in/${c}?after=${soon}`, `/events/past?after=${lately}`]) await hidden(t, path, /Secret/);
});
