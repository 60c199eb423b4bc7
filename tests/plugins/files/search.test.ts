// Files in the search plugin's results (through the core's search contract, core/content/search.ts):
// every access level x viewer finds exactly the files the access model lets them see, a renamed
// file is found by its new name, and a file attached to a post is found by no one — not its
// owner, not the moderators, whose access to its private row would otherwise show it.
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
