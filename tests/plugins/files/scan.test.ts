// Scanning (`files:scan`): with a scanner plugin enabled, uploads wait in `pending` (their
// uploader sees them "being checked"; nobody else sees them, nor their feed entry) until the
// scan job has asked every scanner. A refusal removes the bytes and tells the uploader; a
// new version waits aside, the current one still shown to everyone, and a refused one goes
// alone (the notification names the file); a scanner that cannot answer
// leaves the file pending for a later try.
import { eachStorageAppOf } from '../../helpers/storages';
import { fileId, filesApp, upload } from './support';
import { tempPlugins } from '../../fixtures/support';

/** A scanner plugin: refuses bytes holding "INFECTED"; on bytes holding "UNREACHABLE", throws until `globalThis.scannerBack` holds a token of them. */
function scannerPlugin(): string {
  return tempPlugins({
    scanner: `const { onFilter } = require('ruche');
     const scanner = {
       id: 'test-scanner',
       async scan(subject) {
         const chunks = [];
         for await (const c of await subject.open()) chunks.push(c);
         const bytes = Buffer.concat(chunks);
         if (bytes.includes('UNREACHABLE') && !(globalThis.scannerBack || []).some((tok) => bytes.includes(tok))) throw new Error('scanner unreachable');
         return Buffer.concat(chunks).includes('INFECTED') ? { clean: false, reason: 'Test.Signature' } : { clean: true };
       },
     };
     exports.default = { id: 'scanner', version: '1.0.0', name: 'Scanner', description: 'Scanner', core: '^1.0.0', defaultEnabled: true,
       hooks: [onFilter('files:scan', (list) => [...list, scanner])] };`,
  }).dir;
}

const eachScannedApp = eachStorageAppOf((db, config) => filesApp(db, { config: { ...config, plugins: { dirs: [scannerPlugin()] } } }));

eachScannedApp('files: uploads wait for the scanners; a clean file is released, a refused one removed and its uploader told', async (t, app) => {
  await app.rt.pluginState.enable('scanner');
  const [o, p] = await app.signedInMembers('olga', 'pia');
  const clean = fileId(await upload(o, [{ data: Buffer.from('minutes of the meeting'), name: 'minutes.txt' }], { access: 'members' }));
  const bad = fileId(await upload(o, [{ data: Buffer.from('INFECTED payload'), name: 'bad.txt' }], { access: 'members' }));
  const badKey = (await app.db('files_items').where({ entity_id: bad }).first()).key;
  for (const id of [clean, bad]) {
    t.is((await app.db('files_items').where({ entity_id: id }).first()).state, 'pending');
    t.is((await o.get(`/files/${id}/download`)).status, 200, 'the uploader may download a pending file');
    t.is((await p.get(`/files/${id}`)).status, 404, 'others may not see it');
    t.is((await p.get(`/files/${id}/download`)).status, 404);
  }
  t.regex((await o.get(`/files/${clean}`)).text, /being checked/i);
  t.regex((await o.get('/files')).text, /Being checked/);
  t.false((await p.get('/files?q=minutes')).text.includes('minutes.txt'));
  t.false((await p.get('/search?q=minutes')).text.includes(`/files/${clean}"`), 'not in anyone else’s search results');
  t.falsy(await app.db('activity').where({ entity_id: clean }).first(), 'no feed entry while pending');
  t.is(app.events.length, 0, 'files:shared waits for the scan');

  t.true((await app.rt.jobs.runDue()) >= 1);
  t.is((await app.db('files_items').where({ entity_id: clean }).first()).state, 'ready');
  t.is((await p.get(`/files/${clean}/download`)).status, 200, 'released: others see it');
  t.true((await p.get('/search?q=minutes')).text.includes(`/files/${clean}"`), 'and find it');
  t.truthy(await app.db('activity').where({ entity_id: clean }).first(), 'its feed entry');
  t.falsy(await app.db('files_items').where({ entity_id: bad }).first(), 'the refused file is gone');
  t.is(await app.rt.storage.head(badKey), undefined, 'with its bytes');
  t.is((await o.get(`/files/${bad}`)).status, 404);
  const told = await app
    .db('notifications')
    .where({
      kind: 'files.refused',
      user_id: await app
        .db('users')
        .where({ username: 'olga' })
        .first('id')
        .then((r) => r.id),
    })
    .first();
  t.truthy(told, 'the uploader is told');
  t.regex((await o.get('/notifications')).text, /Your file “bad\.txt” did not pass the safety check/, 'naming the file');
});

eachScannedApp(
  'files: a new version waits aside (the current one still shown), a refused one goes alone; a scanner that cannot answer keeps the file pending',
  async (t, app) => {
    await app.rt.pluginState.enable('scanner');
    const [o, p] = await app.signedInMembers('olga', 'pia');
    const id = fileId(await upload(o, [{ data: Buffer.from('version one'), name: 'plan.txt' }], { access: 'members' }));
    await app.rt.jobs.runDue();
    t.is((await p.get(`/files/${id}/download`)).text, 'version one');
    const res = await o.agent.http
      .post(`/files/${id}/versions`)
      .field('_csrf', await o.token())
      .attach('files', Buffer.from('INFECTED two'), { filename: 'plan.txt', contentType: 'text/plain' });
    t.is(res.status, 303);
    const waiting = await app.db('files_versions').where({ entity_id: id, pending: true }).first();
    t.truthy(waiting, 'the new version waits aside');
    t.is((await app.db('files_items').where({ entity_id: id }).first()).state, 'ready');
    t.is((await p.get(`/files/${id}`)).status, 200, 'the file stays visible while its new version is checked');
    t.is((await p.get(`/files/${id}/download`)).text, 'version one', 'as its current version');
    t.false((await p.get(`/files/${id}`)).text.includes('data-version-pending'), 'others are not told of the waiting version');
    t.regex((await o.get(`/files/${id}`)).text, /data-version-pending/, 'its uploader is');
    await app.rt.jobs.runDue();
    const back = await app.db('files_items').where({ entity_id: id }).first();
    t.is(back.state, 'ready');
    t.is(Number(back.version), 1);
    t.falsy(await app.db('files_versions').where({ entity_id: id }).first(), 'no trace of the refused version');
    t.is(await app.rt.storage.head(waiting.key), undefined, 'the refused version is gone');
    t.is((await p.get(`/files/${id}/download`)).text, 'version one');
    t.regex((await o.get('/notifications')).text, /Your file “plan\.txt” did not pass the safety check/, 'the notification names the file');

    const clean = await o.agent.http
      .post(`/files/${id}/versions`)
      .field('_csrf', await o.token())
      .attach('files', Buffer.from('version two'), { filename: 'plan.txt', contentType: 'text/plain' });
    t.is(clean.status, 303);
    t.is((await p.get(`/files/${id}/download`)).text, 'version one', 'until the check is done');
    await app.rt.jobs.runDue();
    t.is((await p.get(`/files/${id}/download`)).text, 'version two', 'a clean version becomes the current one');
    const after = await app.db('files_versions').where({ entity_id: id });
    t.deepEqual(
      after.map((v) => [Number(v.number), Boolean(v.pending)]),
      [[1, false]],
      'the first version joined the history',
    );

    {
      const token = `t${Math.random().toString(36).slice(2)}`;
      const later = fileId(await upload(o, [{ data: Buffer.from(`UNREACHABLE agenda ${token}`), name: 'agenda.txt' }], { access: 'members' }));
      await app.rt.jobs.runDue();
      t.is((await app.db('files_items').where({ entity_id: later }).first()).state, 'pending', 'still pending');
      const job = await app.db('jobs').where({ kind: 'files.scan' }).orderBy('id', 'desc').first();
      t.is(job.status, 'pending', 'tried again later');
      t.regex(String(job.last_error), /unreachable/);
      const g = globalThis as { scannerBack?: string[] };
      g.scannerBack = [...(g.scannerBack ?? []), token];
      await app.rt.jobs.runDue({ now: Number(job.run_at) + 1 });
      t.is((await app.db('files_items').where({ entity_id: later }).first()).state, 'ready');
    }
  },
);
