// Previews: a PDF's first page is rendered at upload (pdftoppm, poppler-utils) into a display
// image and a thumbnail served like an image's, under the same access check; without the
// tool, a document says "no preview".
import { pdftoppm } from '../../../plugins/files/preview';
import { bytes, eachFilesApp, fileId, pdf, upload } from './support';

eachFilesApp('files: a PDF gets its first page as preview, seen only by who sees the file', async (t, app) => {
  if (!(await pdftoppm())) {
    t.log('pdftoppm is not installed: no preview to test (install poppler-utils)');
    t.pass();
    return;
  }
  await app.member('olga');
  await app.member('mia');
  const o = await app.as('olga');
  const m = await app.as('mia');
  const id = fileId(await upload(o, [{ data: pdf(), name: 'minutes.pdf' }], { access: 'members' }));
  const row = await app.db('files_items').where({ entity_id: id }).first();
  t.truthy(row.display_key, 'a preview was made');
  t.truthy(row.thumb_key);
  t.is(row.kind, 'document');
  const page = await m.get(`/files/${id}`);
  t.true(page.text.includes(`/files/${id}/image/display`));
  t.true(page.text.includes('First page of minutes.pdf'));
  t.false(page.text.includes('No preview for this type of file'));
  const thumb = await bytes(m.agent.http.get(`/files/${id}/image/thumb`));
  t.is(thumb.status, 200);
  t.is(thumb.headers['content-type'], 'image/png');
  t.deepEqual([...(thumb.body as Buffer).subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  t.true((await o.get('/files')).text.includes(`/files/${id}/image/thumb`), 'the list shows the thumbnail');
  // the download is still the PDF, as an attachment
  const dl = await o.get(`/files/${id}/download`);
  t.is(dl.headers['content-type'], 'application/pdf');
  t.regex(dl.headers['content-disposition'], /^attachment/);
  // private: the preview is as private as the file
  const secret = fileId(await upload(o, [{ data: pdf('secret'), name: 'secret.pdf' }], { access: 'private' }));
  t.is((await m.get(`/files/${secret}/image/display`)).status, 404);
  t.not((await app.guest().http.get(`/files/${secret}/image/thumb`)).status, 200);
  // deleting removes the preview's bytes too
  const keys = [row.key, row.display_key, row.thumb_key];
  t.is((await o.post(`/files/${id}/delete`)).status, 303);
  for (const key of keys) t.is(await app.rt.storage.head(key), undefined, `${key} removed`);
});

eachFilesApp('files: a document that cannot be previewed says so', async (t, app) => {
  await app.member('olga');
  const o = await app.as('olga');
  const id = fileId(await upload(o, [{ data: Buffer.from('plain words'), name: 'notes.txt' }]));
  const page = await o.get(`/files/${id}`);
  t.true(page.text.includes('No preview for this type of file'));
  t.is((await o.get(`/files/${id}/image/display`)).status, 404);
  // a broken PDF is accepted, without preview
  const broken = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 0x41)]);
  const bid = fileId(await upload(o, [{ data: broken, name: 'broken.pdf' }]));
  t.is((await app.db('files_items').where({ entity_id: bid }).first()).display_key, null);
  t.true((await o.get(`/files/${bid}`)).text.includes('No preview for this type of file'));
});
