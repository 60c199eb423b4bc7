// A library's files page by keyset in every sort (plugins/files/service.ts `listOrder`): the
// "Previous"/"Next" links carry a cursor, so files that sort first, added between requests,
// make nothing repeat or be skipped; a cursor the list did not write, or of another sort, is a
// localised 400; an old `?page=N` opens the first page; and a group's files stay its members' on
// every page.
import { encodeCursor, type Viewer } from '../../../core';
import { FilesService, type NewFile } from '../../../plugins/files/service';
import { relLink, walkLinksWhileAdding } from '../../helpers/api-clients';
import { eachApp } from '../../helpers/each-app';
import { listOutsiders } from '../../helpers/list-outsiders';
import { filesApp, type FilesApp } from './support';

const ids = (html: string): number[] => [...html.matchAll(/data-file="(\d+)"/g)].map((m) => Number(m[1]));

/** A file row of this name and size (its bytes are never read by a list). */
const fileOf = (name: string, size: number): NewFile => ({
  name,
  size,
  mime: 'text/plain',
  kind: 'document',
  key: `files/test/${name}`,
  displayKey: null,
  thumbKey: null,
  originalKey: null,
  width: null,
  height: null,
});

async function share(app: FilesApp, viewer: Viewer, containerId: number, access: 'members' | 'group', name: string, size: number): Promise<number> {
  const [id] = await app.rt.container
    .resolve(FilesService)
    .create(viewer, app.rt.networks.root().id, { containerId, folderId: null, access }, [fileOf(name, size)]);
  return id;
}

eachApp('a library pages by cursor in every sort while files sorting first arrive between requests', filesApp, async (t, app) => {
  const olga = await app.member('olga');
  const viewer = (await app.rt.users.viewer(olga))!;
  const c = await app.container(olga, []);
  const made: { id: number; name: string; size: number }[] = [];
  for (let i = 0; i < 65; i++) {
    const name = `f-${String(i).padStart(3, '0')}.txt`;
    const size = 1_000 + ((i * 37) % 65) * 10;
    made.push({ id: await share(app, viewer, c, 'members', name, size), name, size });
  }
  const expected = {
    date: [...made].sort((a, b) => b.id - a.id),
    name: [...made].sort((a, b) => a.name.localeCompare(b.name)),
    size: [...made].sort((a, b) => b.size - a.size || b.id - a.id),
  };
  const o = await app.as('olga');
  let added = 0;
  const nextLinks: Record<string, string> = {};
  for (const sort of ['date', 'name', 'size'] as const) {
    const read = async (path: string) => {
      const res = await o.get(path);
      t.is(res.status, 200, path);
      return { items: ids(res.text), next: relLink(res.text, 'next') };
    };
    // Each newcomer sorts first in every order: newest, "a-…" by name, the largest.
    const arrive = () => share(app, viewer, c, 'members', `a-${added}.txt`, 10_000_000 + added++);
    const walked = await walkLinksWhileAdding(`/files/in/${c}?sort=${sort}`, read, arrive);
    t.is(new Set(walked.walked).size, walked.walked.length, `${sort}: nothing twice`);
    t.deepEqual(
      walked.walked.filter((id) => made.some((f) => f.id === id)),
      expected[sort].map((f) => f.id),
      `${sort}: each file once, in order`,
    );
    t.is(walked.links.length, 2, sort);
    t.regex(walked.links[0], new RegExp(`^/files/in/${c}\\?sort=${sort}&after=[A-Za-z0-9_-]+$`));
    nextLinks[sort] = walked.links[0];
    // "Previous" from the second page lists the thirty files just before it.
    const second = await o.get(walked.links[0]);
    const back = await o.get(relLink(second.text, 'prev')!);
    const now = (await walkLinksWhileAdding(`/files/in/${c}?sort=${sort}`, read, async () => undefined)).walked;
    const at = now.indexOf(ids(second.text)[0]);
    t.true(at >= 30, sort);
    t.deepEqual(ids(back.text), now.slice(at - 30, at), `${sort}: previous`);
  }
  // An old numbered link opens the first page; a cursor of another list or an edited one is a 400.
  const first = await o.get(`/files/in/${c}`);
  t.deepEqual(ids((await o.get(`/files/in/${c}?page=2`)).text), ids(first.text));
  t.is(relLink(first.text, 'prev'), null);
  // A cursor of another sort whose key looks alike (largest and newest: two integers) is refused, never read in the wrong order.
  const largestCursor = nextLinks.size.replace(/^.*&after=/, '');
  for (const path of [
    `/files/in/${c}?after=abc`,
    `/files/in/${c}?sort=name&after=${encodeCursor([1, 2], 'name')}`,
    `/files/in/${c}?before=${encodeCursor(['x', 1], 'date')}`,
    `/files/in/${c}?sort=date&after=${largestCursor}`,
    `/files/in/${c}?after=${largestCursor}`,
    `/files/in/${c}?sort=size&before=${nextLinks.date.replace(/^.*&after=/, '')}`,
    `/files/in/${c}?sort=size&after=${encodeCursor([1_000, 5])}`,
  ]) {
    const res = await o.get(path);
    t.is(res.status, 400, path);
    t.regex(res.text, /This page link is not valid for this list/);
  }
  await app.db('users').where({ id: olga }).update({ locale: 'fr' });
  t.regex((await (await app.as('olga')).get(`/files/in/${c}?after=abc`)).text, /Ce lien de page n’est pas valable pour cette liste/);
  // My files page the same way.
  t.is((await o.get(`/files?sort=size&after=${encodeCursor([5, 1], 'size')}`)).status, 200);
  t.is((await o.get(`/files?after=${encodeCursor([5, 1], 'size')}`)).status, 400, 'a largest cursor on the newest sort');
  t.is((await o.get('/files?after=abc')).status, 400);
});

eachApp('a group’s files stay its members’ on every page of a library', filesApp, async (t, app) => {
  const olga = await app.member('olga');
  const viewer = (await app.rt.users.viewer(olga))!;
  const c = await app.container(olga, []);
  for (let i = 0; i < 35; i++) await share(app, viewer, c, 'members', `open-${i}.txt`, 100 + i);
  for (let i = 0; i < 5; i++) await share(app, viewer, c, 'group', `secret-${i}.txt`, 100 + i);
  const { hidden } = await listOutsiders(app, c);
  const after = encodeCursor([Date.now() + 60_000, 1_000_000], 'date');
  for (const path of [`/files/in/${c}`, `/files/in/${c}?after=${after}`, `/files/in/${c}?sort=name&after=${encodeCursor(['p', 0], 'name')}`])
    await hidden(t, path, /secret-\d\.txt/);
});
