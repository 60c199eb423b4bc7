// Files in the search plugin's results (through the core's search contract, core/content/search.ts):
// every access level x viewer finds exactly the files the access model lets them see, a renamed
// file is found by its new name, and a file attached to a post is found by no one — not its
// owner, not the moderators, whose access to its private row would otherwise show it. Albums
// are found by their title and description the same way, named "Album" in the results.
import { queueSearchOfType } from '../../../core';
import { markersIn } from '../search/support';
import { ACCESS_LEVELS, matrixViewers, SEES, VIEWERS } from '../../helpers/who-sees';
import { eachFilesApp, fileId, postWithAttachments, upload } from './support';

eachFilesApp('files: search results hold the files each viewer may see, at every level, and no attached file', async (t, app) => {
  const { agents, ownerAgent: o, get, fieldsAt } = await matrixViewers(app);
  const ids: Record<string, number> = {};
  for (const level of ACCESS_LEVELS) {
    const fields = fieldsAt(level);
    ids[level] = fileId(await upload(o, [{ data: Buffer.from(`Notes for ${level}\n`), name: `quokka-mk${level}.txt` }], fields));
    // `network` is not offered at the root network: set as a sub-network's file would be.
    if (level === 'network') await app.rt.entities.update(ids[level], { access: 'network' });
  }
  const posted = await postWithAttachments(o, '/status', { body: 'The agenda', access: 'public' }, [
    { data: Buffer.from('agenda\n'), name: 'quokka-mkattached.txt', type: 'text/plain' },
  ]);
  t.is(posted.status, 303);
  for (const who of VIEWERS) {
    const res = await get(who, '/search?q=quokka&tab=files');
    t.is(res.status, 200, who);
    const expected = ACCESS_LEVELS.filter((level) => SEES[level].includes(who)).map((level) => `mk${level}`);
    t.deepEqual(markersIn(res.text), [...expected].sort(), `${who}: the files found`);
    if (SEES.public.includes(who)) t.true(res.text.includes(`href="/files/${ids.public}"`), `${who}: the result links to the file page`);
  }
  // Renamed by its owner: found by its new name only.
  const rename = await o.agent.http
    .post(`/files/${ids.members}/edit`)
    .type('form')
    .send({ _csrf: await o.token(), name: 'wombat-mkrenamed.txt' });
  t.is(rename.status, 303);
  const mia = agents.get('member')!;
  t.deepEqual(markersIn((await mia.get('/search?q=wombat&tab=files')).text), ['mkrenamed']);
  t.false(markersIn((await mia.get('/search?q=quokka&tab=files')).text).includes('mkmembers'), 'not by its old name');
});

eachFilesApp('files: search finds the albums each viewer may see, by title or description, named as albums', async (t, app) => {
  const { agents, ownerAgent: o, get, fieldsAt } = await matrixViewers(app);
  const ids: Record<string, number> = {};
  for (const level of ACCESS_LEVELS) {
    const res = await o.post('/files/albums', { title: `Numbat trip mk${level}`, description: 'Three days by the river', ...fieldsAt(level) });
    t.is(res.status, 303, level);
    ids[level] = Number(/\/files\/albums\/(\d+)$/.exec(String(res.headers.location))?.[1]);
    if (level === 'network') await app.rt.entities.update(ids[level], { access: 'network' });
  }
  for (const who of VIEWERS) {
    const expected = ACCESS_LEVELS.filter((level) => SEES[level].includes(who)).map((level) => `mk${level}`);
    const byTitle = await get(who, '/search?q=numbat&tab=files');
    t.is(byTitle.status, 200, who);
    t.deepEqual(markersIn(byTitle.text), [...expected].sort(), `${who}: the albums found by title`);
    t.deepEqual(markersIn((await get(who, '/search?q=river')).text), [...expected].sort(), `${who}: by description, on Everything`);
    if (SEES.public.includes(who)) {
      t.true(byTitle.text.includes(`href="/files/albums/${ids.public}"`), `${who}: the result opens the album`);
      t.true(byTitle.text.includes('>Album<'), `${who}: named an album`);
    }
  }
  // Renamed by its owner: found by its new title only; deleted: found by no one.
  const mia = agents.get('member')!;
  t.is((await o.post(`/files/albums/${ids.members}/edit`, { title: 'Wallaby walk mkrenamed', access: 'members' })).status, 303);
  t.deepEqual(markersIn((await mia.get('/search?q=wallaby&tab=files')).text), ['mkrenamed']);
  t.false(markersIn((await mia.get('/search?q=numbat&tab=files')).text).includes('mkmembers'), 'not by its old title');
  t.is((await o.post(`/files/albums/${ids.public}/delete`)).status, 303);
  t.false(markersIn((await mia.get('/search?q=numbat&tab=files')).text).includes('mkpublic'), 'a deleted album is not found');
  // An upgraded site's albums: the migration queues every live album for the index, none deleted.
  await app.db('search_queue').delete();
  await queueSearchOfType(app.db, 'album');
  const queued = (await app.db('search_queue').orderBy('entity_id').pluck('entity_id')).map(Number);
  t.deepEqual(
    queued,
    ACCESS_LEVELS.filter((level) => level !== 'public')
      .map((level) => ids[level])
      .sort((a, b) => a - b),
  );
});
