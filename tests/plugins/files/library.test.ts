// A group's library: the Files tab, folders (one level of nesting), move and rename by the
// owner or a group admin (not another member), search by name, sort by name/date/size; feed
// entries for one file and for a batch; comments and reactions on a file.
import { closedGroupWithTab } from '../../helpers/group-tab';
import { eachFilesApp, fileId, png, upload } from './support';

const names = (html: string): string[] => [...html.matchAll(/class="files-item__name" href="[^"]+">([^<]+)</g)].map((m) => m[1]);

eachFilesApp('files: a group library with folders, moves, renames, search and sort', async (t, app) => {
  const set = await closedGroupWithTab(t, app, 'Files', (id) => `/files/in/${id}`);
  if (!set) return;
  const { groupId, gina, cora, out } = set;
  const lib = `/files/in/${groupId}`;
  const at = (res: { headers: Record<string, string> }) => Number(/folder=(\d+)$/.exec(res.headers.location)?.[1]);
  const minutes = at(await cora.post(`${lib}/folders`, { name: 'Minutes' }));
  t.true(minutes > 0);
  const y2026 = at(await cora.post(`${lib}/folders`, { name: '2026', parent: String(minutes) }));
  t.true(y2026 > 0, 'one level of nesting');
  t.is((await cora.post(`${lib}/folders`, { name: 'Too deep', parent: String(y2026) })).status, 400);
  t.is((await cora.post(`${lib}/folders`, { name: '' })).status, 400);
  t.is((await out.post(`${lib}/folders`, { name: 'Intruder' })).status, 404, 'not a member of the group');
  // uploads: at the top and in a folder; the library lists each level
  const a = fileId(await upload(cora, [{ data: Buffer.from('a'.repeat(10)), name: 'Budget.txt' }], { container: String(groupId) }));
  const b = fileId(
    await upload(cora, [{ data: Buffer.from('b'.repeat(300)), name: 'agenda.txt' }], { container: String(groupId), folder: String(minutes) }),
  );
  const c = fileId(await upload(gina, [{ data: Buffer.from('c'.repeat(100)), name: 'Charter.txt' }], { container: String(groupId) }));
  t.is((await app.rt.entities.get(a))?.access, 'group', 'a closed group keeps its files at the group level');
  const top = await gina.get(lib);
  t.deepEqual(names(top.text), ['Charter.txt', 'Budget.txt'], 'newest first');
  t.true(top.text.includes(`data-folder="${minutes}"`));
  t.deepEqual(names((await gina.get(`${lib}?folder=${minutes}`)).text), ['agenda.txt']);
  t.true((await gina.get(`${lib}?folder=${minutes}`)).text.includes(`data-folder="${y2026}"`));
  t.deepEqual(names((await gina.get(`${lib}?sort=name`)).text), ['Budget.txt', 'Charter.txt']);
  t.deepEqual(names((await gina.get(`${lib}?sort=size`)).text), ['Charter.txt', 'Budget.txt']);
  t.deepEqual(names((await gina.get(`${lib}?q=AGEN`)).text), ['agenda.txt'], 'search looks in every folder, ignoring case');
  t.deepEqual(names((await gina.get(`${lib}?q=%25`)).text), [], 'LIKE wildcards are plain characters');
  const outside = await out.get(lib);
  t.is(outside.status, 200, 'the group itself is known to the network');
  t.deepEqual(names(outside.text), [], 'but its files are not');
  t.false(outside.text.includes('data-folder='), 'nor its folder names');
  t.is((await out.get(`${lib}?folder=${minutes}`)).status, 404);
  t.is((await gina.get(`${lib}?folder=999999`)).status, 404);
  // move and rename: the owner (cora), the group admin (gina), not another member
  await app.member('dora');
  await app
    .db('container_members')
    .insert({ container_id: groupId, user_id: await app.rt.users.byUsername('dora').then((u) => u!.id), role: 'member', created_at: Date.now() });
  const dora = await app.as('dora');
  t.is((await dora.post(`/files/${a}/edit`, { name: 'Mine now.txt' })).status, 403);
  t.is((await cora.post(`/files/${a}/edit`, { name: 'Budget 2026.txt', folder: String(y2026) })).status, 303);
  t.deepEqual(names((await gina.get(`${lib}?folder=${y2026}`)).text), ['Budget 2026.txt']);
  t.is((await gina.post(`/files/${b}/edit`, { name: 'Agenda.txt', folder: '' })).status, 303, 'a group admin moves a member’s file');
  t.deepEqual(names((await gina.get(lib)).text), ['Charter.txt', 'Agenda.txt']);
  t.is((await gina.post(`/files/${b}/edit`, { name: 'x', folder: '999999' })).status, 400, 'a folder of another library is refused');
  t.is((await dora.post(`/files/folders/${minutes}/rename`, { name: 'Mine' })).status, 403);
  t.is((await gina.post(`/files/folders/${minutes}/rename`, { name: 'Meeting minutes' })).status, 303);
  t.true((await gina.get(lib)).text.includes('Meeting minutes'));
  t.is((await out.post(`/files/folders/${minutes}/rename`, { name: 'x' })).status, 404);
  // deletion by a group admin removes the row and the bytes
  const row = await app.db('files_items').where({ entity_id: c }).first();
  t.truthy(await app.rt.storage.get(row.key));
  t.is((await dora.post(`/files/${c}/delete`)).status, 403);
  t.is((await gina.post(`/files/${c}/delete`)).status, 303);
  t.is(await app.rt.storage.get(row.key), undefined, 'bytes removed');
  t.is((await gina.get(`/files/${c}`)).status, 404);
  t.deepEqual(
    app.events.map((e) => e.name).filter((n) => n === 'files:deleted'),
    ['files:deleted'],
  );
});

eachFilesApp('files: feed entries for a document and for a batch of photos; comments and reactions on a file', async (t, app) => {
  if (!app.rt.routes.get('activity.network')) return void t.pass();
  await app.member('olga');
  await app.member('mia');
  const o = await app.as('olga');
  const doc = fileId(await upload(o, [{ data: Buffer.from('Procedure'), name: 'procedure.txt' }], { access: 'members' }));
  const empty = await upload(o, [{ data: Buffer.alloc(0), name: 'empty.txt' }]);
  t.is(empty.status, 422);
  t.true(empty.text.includes('empty.txt is empty.'));
  const photos = await upload(
    o,
    await Promise.all([1, 2, 3].map(async (i) => ({ data: await png(80 + i, 60), name: `festival-${i}.png`, type: 'image/png' }))),
    { access: 'members' },
  );
  t.is(photos.status, 303);
  t.is(photos.headers.location, '/files');
  const m = await app.as('mia');
  const feed = await m.get('/activity');
  t.true(feed.text.includes('shared a document'));
  t.true(feed.text.includes(`href="/files/${doc}"`));
  t.true(feed.text.includes('shared files'));
  t.true(feed.text.includes('3 files'));
  t.is((feed.text.match(/\/image\/thumb"/g) ?? []).length, 3, 'the batch shows its thumbnails in one entry');
  // a private file is not in anyone else's feed
  const hidden = fileId(await upload(o, [{ data: Buffer.from('Secret'), name: 'secret.txt' }], { access: 'private' }));
  t.false((await m.get('/activity')).text.includes(`/files/${hidden}"`));
  // comments and reactions through the other plugins' panels
  const page = await m.get(`/files/${doc}`);
  t.true(page.text.includes(`/entities/${doc}/comments`), 'a comment form');
  t.is((await m.post(`/entities/${doc}/comments`, { body: 'Thanks for sharing' })).status, 303);
  t.true((await m.get(`/files/${doc}`)).text.includes('Thanks for sharing'));
  t.is((await m.post(`/entities/${doc}/react`, { reaction: 'like' })).status, 303);
  t.is(Number((await app.db('reactions').where({ entity_id: doc }).count({ n: '*' }).first())?.n ?? 0), 1);
  t.is((await m.post(`/entities/${hidden}/comments`, { body: 'Sneaky' })).status, 404, 'no comment on what one cannot see');
});
