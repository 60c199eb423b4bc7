// Versions: a new version replaces the bytes and keeps the old ones in the history; an
// earlier version downloads and can be restored; only the owner, a group admin or a moderator
// may; the checks of an upload apply; deleting the file removes every version's bytes.
import { bytes, eachFilesApp, fileId, pdf, upload } from './support';

eachFilesApp('files: upload a new version, keep the history, download and restore an earlier one', async (t, app) => {
  await app.member('olga');
  await app.member('mia');
  const o = await app.as('olga');
  const m = await app.as('mia');
  const id = fileId(await upload(o, [{ data: Buffer.from('first draft'), name: 'plan.txt' }], { access: 'members' }));
  const version = async (who: typeof o, data: Buffer, name = 'plan-v2.txt') => {
    const req = who.agent.http.post(`/files/${id}/versions`).field('_csrf', await who.token());
    return req.attach('files', data, { filename: name, contentType: 'text/plain' });
  };
  t.is((await version(m, Buffer.from('hijack'))).status, 403, 'not the owner');
  t.is((await version(o, Buffer.from('second draft'))).status, 303);
  t.is((await o.get(`/files/${id}/download`)).text, 'second draft');
  const page = await o.get(`/files/${id}`);
  t.true(page.text.includes('Current version: 2'));
  t.true(page.text.includes('plan.txt'), 'the name stays');
  const v1 = await app.db('files_versions').where({ entity_id: id, number: 1 }).first();
  t.truthy(v1);
  const old = await bytes(m.agent.http.get(`/files/${id}/versions/${v1.id}/download`));
  t.is(old.status, 200, 'who sees the file sees its history');
  t.is((old.body as Buffer).toString(), 'first draft');
  t.regex(old.headers['content-disposition'], /^attachment; filename="Version 1 plan.txt"/);
  // checks of an upload: type
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(64, 1)]);
  const refused = await version(o, elf, 'x.bin');
  t.is(refused.status, 415);
  t.true(refused.text.includes('x.bin is a type of file that is not accepted here'));
  t.is((await version(o, pdf(), 'plan.pdf')).status, 303, 'a version may be another type');
  t.is((await o.get(`/files/${id}/download`)).headers['content-type'], 'application/pdf');
  // restore version 1: it becomes version 4, the others stay in the history
  t.is((await m.post(`/files/${id}/versions/${v1.id}/restore`)).status, 403);
  t.is((await o.post(`/files/${id}/versions/${v1.id}/restore`)).status, 303);
  t.is((await o.get(`/files/${id}/download`)).text, 'first draft');
  t.true((await o.get(`/files/${id}`)).text.includes('Current version: 4'));
  t.deepEqual(
    (await app.db('files_versions').where({ entity_id: id }).orderBy('number')).map((r) => Number(r.number)),
    [1, 2, 3],
  );
  t.is((await o.get(`/files/${id}/versions/999999/download`)).status, 404);
  // a private file's history is as private as the file
  const secret = fileId(await upload(o, [{ data: Buffer.from('a'), name: 's.txt' }], { access: 'private' }));
  await (async () => {
    const req = o.agent.http.post(`/files/${secret}/versions`).field('_csrf', await o.token());
    t.is((await req.attach('files', Buffer.from('b'), { filename: 's.txt', contentType: 'text/plain' })).status, 303);
  })();
  const sv = await app.db('files_versions').where({ entity_id: secret }).first();
  t.is((await m.get(`/files/${secret}/versions/${sv.id}/download`)).status, 404);
  // deleting removes every version's bytes
  const keys = [
    ...(await app.db('files_versions').where({ entity_id: id }).pluck('key')),
    (await app.db('files_items').where({ entity_id: id }).first()).key,
  ];
  t.is((await o.post(`/files/${id}/delete`)).status, 303);
  for (const key of keys) t.is(await app.rt.storage.head(key), undefined, `${key} removed`);
  t.is(Number((await app.db('files_versions').where({ entity_id: id }).count({ n: '*' }).first())?.n), 0);
});
