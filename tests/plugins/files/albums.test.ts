// Photo albums: made in my files and in a group, photos added as one feed entry ("added 3
// photos to Summer festival"), a grid, the viewer's previous / next links (plain links),
// captions edited by the owner only, search and sort inside an album, the album's level
// governing its photos (page, viewer, thumbnail for every level x viewer, and when it changes),
// photos only, and deleting an album with its photos' bytes.
import type { PageAgent } from '../../helpers/members';
import { ACCESS_LEVELS, matrixViewers, SEES, VIEWERS, type AccessLevelName } from '../../helpers/who-sees';
import { eachFilesApp, png, upload, type FilesApp } from './support';

const albumId = (location: string | undefined): number => {
  const m = /\/files\/albums\/(\d+)$/.exec(String(location ?? ''));
  if (!m) throw new Error(`no album in redirect: ${location}`);
  return Number(m[1]);
};

async function newAlbum(who: PageAgent, title: string, fields: Record<string, string> = {}): Promise<number> {
  const res = await who.post('/files/albums', { title, description: 'Three days in June', ...fields });
  return albumId(res.headers.location);
}

const photoIds = async (app: FilesApp, album: number): Promise<number[]> =>
  (await app.db('files_items').where({ album_id: album }).orderBy('entity_id').pluck('entity_id')).map(Number);

eachFilesApp('files: an album of photos, one feed entry, grid, viewer links, captions, search and sort', async (t, app) => {
  await app.member('olga');
  await app.member('mia');
  const o = await app.as('olga');
  const m = await app.as('mia');
  t.is((await o.post('/files/albums', { title: '' })).status, 400, 'a title is needed');
  const album = await newAlbum(o, 'Summer festival', { access: 'members' });
  const photos = [await png(300, 200), await png(200, 300), await png(400, 400)];
  const res = await upload(
    o,
    photos.map((data, i) => ({ data, name: `stage-${i + 1}.png`, type: 'image/png' })),
    { album: String(album) },
  );
  t.is(res.status, 303);
  t.is(res.headers.location, `/files/albums/${album}`);
  const ids = await photoIds(app, album);
  t.is(ids.length, 3);
  for (const id of ids) t.is((await app.rt.entities.get(id))?.access, 'members', 'photos take the album level');
  // a document is refused, nothing stored
  const doc = await upload(o, [{ data: Buffer.from('minutes'), name: 'minutes.txt' }], { album: String(album) });
  t.is(doc.status, 415);
  t.true(doc.text.includes('minutes.txt is not a photo'));
  t.is((await photoIds(app, album)).length, 3);
  // someone else may not add photos
  t.is((await upload(m, [{ data: photos[0], name: 'mine.png', type: 'image/png' }], { album: String(album) })).status, 403);
  // the grid
  const page = await m.get(`/files/albums/${album}`);
  t.is(page.status, 200);
  t.true(page.text.includes('Summer festival'));
  t.true(page.text.includes('Three days in June'));
  for (const id of ids) t.true(page.text.includes(`/files/${id}/image/thumb`));
  t.false(page.text.includes('Add photos'), 'a reader gets no upload form');
  // the album on my files, with its cover and count
  const mine = await o.get('/files');
  t.true(mine.text.includes(`data-album="${album}"`));
  t.true(mine.text.includes('3 photos'));
  t.true(mine.text.includes(`/files/${ids[0]}/image/thumb`), 'the first photo is the cover');
  // the feed: one entry for the three photos
  const feed = await m.get('/activity');
  t.true(feed.text.includes('added photos to an album'));
  t.true(feed.text.includes('3 photos added to Summer festival'));
  t.is((feed.text.match(/added photos to an album/g) ?? []).length, 1);
  // the viewer: previous and next as plain links, position
  const first = await m.get(`/files/${ids[0]}`);
  t.true(first.text.includes(`href="/files/${ids[1]}" rel="next"`));
  t.false(first.text.includes('rel="prev"'));
  t.true(first.text.includes('1 of 3'));
  const middle = await m.get(`/files/${ids[1]}`);
  t.true(middle.text.includes(`href="/files/${ids[0]}" rel="prev"`));
  t.true(middle.text.includes(`href="/files/${ids[2]}" rel="next"`));
  t.true(middle.text.includes(`href="/files/albums/${album}"`), 'back to the album');
  // captions: the owner only
  t.is((await m.post(`/files/${ids[1]}/edit`, { name: 'x', caption: 'hijack' })).status, 403);
  t.is((await o.post(`/files/${ids[1]}/edit`, { name: 'stage-2.png', caption: 'The brass band at dusk' })).status, 303);
  t.true((await m.get(`/files/${ids[1]}`)).text.includes('The brass band at dusk'));
  t.true((await m.get(`/files/albums/${album}`)).text.includes('alt="The brass band at dusk"'));
  // search and sort inside the album
  const found = await m.get(`/files/albums/${album}?q=stage-3`);
  t.true(found.text.includes(`data-file="${ids[2]}"`));
  t.false(found.text.includes(`data-file="${ids[0]}"`));
  const byName = await m.get(`/files/albums/${album}?sort=name`);
  t.true(byName.text.indexOf(`data-file="${ids[0]}"`) < byName.text.indexOf(`data-file="${ids[2]}"`));
  const bySize = await m.get(`/files/albums/${album}?sort=size`);
  t.is(bySize.status, 200);
  // French
  await app.db('users').where({ username: 'mia' }).update({ locale: 'fr' });
  t.true((await m.get(`/files/${ids[0]}`)).text.includes('1 sur 3'));
});

eachFilesApp('files: the album level governs its photos for every level x viewer, and they follow when it changes', async (t, app) => {
  const { container, agents, ownerAgent: o, get, fieldsAt } = await matrixViewers(app);
  const albums: Record<string, number> = {};
  const photos: Record<string, number> = {};
  for (const level of ACCESS_LEVELS) {
    albums[level] = await newAlbum(o, `Album ${level}`, fieldsAt(level));
    t.is((await upload(o, [{ data: await png(), name: `p-${level}.png`, type: 'image/png' }], { album: String(albums[level]) })).status, 303);
    photos[level] = (await photoIds(app, albums[level]))[0];
    if (level === 'network') {
      await app.rt.entities.update(albums[level], { access: 'network' });
      await app.rt.entities.update(photos[level], { access: 'network' });
    }
    t.is((await app.rt.entities.get(albums[level]))?.access, level);
    t.is((await app.rt.entities.get(photos[level]))?.access, level);
  }
  for (const who of VIEWERS) {
    const library = who === 'guest' ? null : await get(who, `/files/in/${container}`);
    for (const level of ACCESS_LEVELS) {
      const sees = SEES[level as AccessLevelName].includes(who);
      const refused = who === 'guest' ? 302 : 404;
      const page = await get(who, `/files/albums/${albums[level]}`);
      t.is(page.status, sees ? 200 : refused, `${level} / ${who}: album page`);
      if (sees) t.true(page.text.includes(`Album ${level}`));
      t.is((await get(who, `/files/${photos[level]}`)).status, sees ? 200 : refused, `${level} / ${who}: viewer`);
      t.is((await get(who, `/files/${photos[level]}/image/thumb`)).status, sees ? 200 : refused, `${level} / ${who}: thumbnail`);
      if (library && level === 'group') t.is(library.text.includes(`data-album="${albums[level]}"`), sees, `${level} / ${who}: library's albums`);
    }
  }
  // the owner makes the public album private: its photo follows at once
  const pub = albums.public;
  t.is((await o.post(`/files/albums/${pub}/edit`, { title: 'Now private', access: 'private', cover: String(photos.public) })).status, 303);
  t.is((await app.rt.entities.get(photos.public))?.access, 'private');
  t.is((await agents.get('member')!.get(`/files/${photos.public}/image/display`)).status, 404);
  t.is((await o.get(`/files/${photos.public}/image/display`)).status, 200);
  // only its owner (or a moderator, a group admin) changes it
  t.is((await agents.get('member')!.post(`/files/albums/${albums.members}/edit`, { title: 'x' })).status, 403);
  t.is((await o.post(`/files/albums/${pub}/edit`, { title: 'x', cover: String(photos.members) })).status, 400, 'a cover from another album');
});

eachFilesApp('files: deleting an album deletes its photos and their bytes; a group album', async (t, app) => {
  const owner = await app.member('olga');
  const cora = await app.member('cora');
  await app.member('mia');
  const container = await app.container(owner, [cora]);
  const c = await app.as('cora');
  const m = await app.as('mia');
  const album = await newAlbum(c, 'Team day', { container: String(container), access: 'group' });
  const lib = await c.get(`/files/in/${container}`);
  t.true(lib.text.includes(`data-album="${album}"`));
  t.is((await upload(c, [{ data: await png(), name: 'a.png', type: 'image/png' }], { album: String(album) })).status, 303);
  const [photo] = await photoIds(app, album);
  t.is((await app.rt.entities.get(photo))?.container_id, container, 'a photo of a group album is in the group');
  t.is((await m.get(`/files/albums/${album}`)).status, 404, 'not a member of the group');
  const row = await app.db('files_items').where({ entity_id: photo }).first();
  t.is((await m.post(`/files/albums/${album}/delete`)).status, 404);
  t.is((await c.post(`/files/albums/${album}/delete`)).status, 303);
  t.is((await c.get(`/files/albums/${album}`)).status, 404);
  t.is((await c.get(`/files/${photo}`)).status, 404);
  for (const key of [row.key, row.thumb_key]) t.is(await app.rt.storage.head(key), undefined, `${key} removed`);
});
