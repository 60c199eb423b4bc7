// The nightly orphan sweep: stored objects under files/ that no row names are removed (after
// an hour's grace), the bytes of live files are kept, and the job is a recurring one.
import { attachedFiles, eachFilesApp, fileId, png, postWithAttachments, upload } from './support';

eachFilesApp('files: the recurring sweep removes unreferenced bytes, keeps live files, reports what it freed', async (t, app) => {
  await app.member('olga');
  const o = await app.as('olga');
  const doc = fileId(await upload(o, [{ data: Buffer.from('kept'), name: 'kept.txt' }]));
  const photo = fileId(await upload(o, [{ data: await png(), name: 'kept.png', type: 'image/png' }]));
  const gone = fileId(await upload(o, [{ data: Buffer.from('deleted'), name: 'gone.txt' }]));
  const goneKey = (await app.db('files_items').where({ entity_id: gone }).first()).key;
  // an attachment whose parent was deleted without telling (no attachments:deleted)
  await postWithAttachments(o, '/status', { body: 'With a file', access: 'members' }, [
    { data: Buffer.from('attached'), name: 'att.txt', type: 'text/plain' },
  ]);
  const statusId = Number((await app.db('entities').where({ type: 'status' }).first('id')).id);
  const [attached] = await attachedFiles(app, 'status', statusId);
  await app.rt.entities.softDelete(statusId);
  // a row lost without its bytes (a process died, a cascade), and a stray object
  await app.db('files_items').where({ entity_id: gone }).delete();
  await app.rt.storage.put('files/zz/stray/file', Buffer.alloc(1000, 1), 'application/octet-stream');
  await app.rt.storage.put('avatars/1/not-ours.jpg', Buffer.alloc(10, 1), 'image/jpeg');
  const now = Date.now();
  await app.rt.jobs.ensureRecurring(now);
  const job = await app.db('jobs').where({ kind: 'files.sweep' }).whereNot('status', 'done').first();
  t.truthy(job, 'one pending sweep');
  // within the hour's grace nothing goes
  t.true((await app.rt.jobs.runDue({ now: Number(job.run_at) })) >= 1);
  t.is((await app.db('jobs').where({ id: job.id }).first()).status, 'done');
  t.truthy(await app.rt.storage.head('files/zz/stray/file'));
  const later = Number(job.run_at) + 24 * 60 * 60 * 1000 + 2 * 60 * 60 * 1000;
  t.true((await app.rt.jobs.runDue({ now: later })) >= 1, 'the next run, a day later');
  t.is(await app.rt.storage.head('files/zz/stray/file'), undefined);
  t.is(await app.rt.storage.head(goneKey), undefined);
  t.truthy(await app.rt.storage.head('avatars/1/not-ours.jpg'), 'only files/ is swept');
  t.deepEqual(await attachedFiles(app, 'status', statusId), [], 'the orphaned attachment is gone');
  t.is(await app.rt.storage.head(attached.key), undefined, 'with its bytes');
  for (const id of [doc, photo]) {
    const row = await app.db('files_items').where({ entity_id: id }).first();
    for (const key of [row.key, row.display_key, row.thumb_key].filter(Boolean)) t.truthy(await app.rt.storage.head(key), `${key} kept`);
    t.is((await o.get(`/files/${id}/download`)).status, 200);
  }
});

eachFilesApp('files: the sweep is not scheduled nor run while files is disabled everywhere, and resumes when enabled', async (t, app) => {
  const now = Date.now();
  await app.rt.pluginState.disable('files');
  await app.rt.jobs.ensureRecurring(now);
  t.falsy(await app.db('jobs').where({ kind: 'files.sweep' }).first(), 'no sweep scheduled while files is off');
  // A sweep scheduled while it was on waits, untouched, while it is off.
  await app.rt.pluginState.enable('files');
  await app.rt.jobs.ensureRecurring(now);
  await app.rt.pluginState.disable('files');
  await app.rt.jobs.runDue({ now: now + 1000 });
  t.is((await app.db('jobs').where({ kind: 'files.sweep' }).first()).status, 'pending');
  t.truthy(await app.db('jobs').where({ kind: 'core.housekeeping', status: 'done' }).first(), "the core's recurring jobs still run");
  await app.rt.pluginState.enable('files');
  t.true((await app.rt.jobs.runDue({ now: now + 2000 })) >= 1);
  t.truthy(await app.db('jobs').where({ kind: 'files.sweep', status: 'done' }).first(), 'the sweep ran once files was on again');
});
