// Every access level against every kind of viewer: the file page, the download, the image
// variants, the feed entries and the lists (my files, the group library), through the core's access model.
import { ACCESS_LEVELS, matrixViewers, SEES, VIEWERS, type AccessLevelName } from '../../helpers/who-sees';
import { eachFilesApp, fileId, png, upload } from './support';

eachFilesApp('files: every access level x viewer for the file page, the download, the thumbnail, the feed and the lists', async (t, app) => {
  const { container, agents, ownerAgent: o, get, fieldsAt } = await matrixViewers(app);
  const docs: Record<string, number> = {};
  const photos: Record<string, number> = {};
  for (const level of ACCESS_LEVELS) {
    const fields = fieldsAt(level);
    docs[level] = fileId(await upload(o, [{ data: Buffer.from(`Notes for ${level}\n`), name: `notes-${level}.txt` }], fields));
    photos[level] = fileId(await upload(o, [{ data: await png(), name: `photo-${level}.png`, type: 'image/png' }], fields));
    // `network` is not offered at the root network (there it is "all members"): set as a sub-network's file would be
    if (level === 'network') for (const id of [docs[level], photos[level]]) await app.rt.entities.update(id, { access: 'network' });
    t.is((await app.rt.entities.get(docs[level]))?.access, level);
  }
  for (const who of VIEWERS) {
    // The network feed: each file's entry ("shared a document", "shared a photo") for who sees the file only.
    const feed = await get(who, '/activity');
    t.is(feed.status, 200, `${who}: feed`);
    for (const level of ACCESS_LEVELS) {
      const sees = SEES[level as AccessLevelName].includes(who);
      t.is(feed.text.includes(`href="/files/${docs[level]}"`), sees, `${level} / ${who}: the document's feed entry`);
      t.is(feed.text.includes(`/files/${photos[level]}/image/thumb"`), sees, `${level} / ${who}: the photo's feed entry`);
    }
    const library = await get(who, `/files/in/${container}`);
    t.is(library.status, who === 'guest' ? 302 : 200, `${who}: library`);
    for (const level of ACCESS_LEVELS) {
      const sees = SEES[level as AccessLevelName].includes(who);
      const refused = who === 'guest' ? 302 : 404;
      const page = await get(who, `/files/${docs[level]}`);
      t.is(page.status, sees ? 200 : refused, `${level} / ${who}: page`);
      if (sees) t.true(page.text.includes(`notes-${level}.txt`));
      const dl = await get(who, `/files/${docs[level]}/download`);
      t.is(dl.status, sees ? 200 : refused, `${level} / ${who}: download`);
      if (sees) t.is(dl.text, `Notes for ${level}\n`);
      const thumb = await get(who, `/files/${photos[level]}/image/thumb`);
      t.is(thumb.status, sees ? 200 : refused, `${level} / ${who}: thumbnail`);
      if (who !== 'guest' && level === 'group') t.is(library.text.includes(`data-file="${docs[level]}"`), sees, `${level} / ${who}: library`);
    }
  }
  // my files lists only the viewer's own, outside groups
  const mine = await o.get('/files');
  t.is(mine.status, 200);
  t.true(mine.text.includes(`data-file="${docs.private}"`));
  t.false(mine.text.includes(`data-file="${docs.group}"`), 'group files are in the library, not in my files');
  const mia = agents.get('member')!;
  t.false((await mia.get('/files')).text.includes(`data-file="${docs.public}"`));
  t.is((await app.guest().http.get('/files')).status, 302, 'guests are asked to sign in');
  // an outsider to the group cannot upload into it
  const res = await upload(mia, [{ data: Buffer.from('x'), name: 'x.txt' }], { container: String(container) });
  t.is(res.status, 404);
});
