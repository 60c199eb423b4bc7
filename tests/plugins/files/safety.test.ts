// What an upload may be and how bytes are served: the type from the bytes against the admin's
// allow-list, the per-file size limit, the member and group quotas (refused before anything is
// stored), no active content ever inline (an SVG, HTML renamed .png, image polyglots), headers
// of every answer, byte ranges, and photos stripped of their metadata in the stored bytes.
import sharp from 'sharp';
import { countRows } from '../../helpers/rows';
import { bytes, eachFilesApp, fileId, pdf, png, upload } from './support';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>';
const HTML = '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>';

eachFilesApp('files: downloads are attachments, sandboxed and nosniff; re-encoded images only are inline; byte ranges', async (t, app) => {
  await app.member('olga');
  const o = await app.as('olga');
  const doc = fileId(await upload(o, [{ data: pdf(), name: 'Procès-verbal mai.pdf', type: 'application/pdf' }], { access: 'members' }));
  const dl = await bytes(o.agent.http.get(`/files/${doc}/download`));
  t.is(dl.status, 200);
  t.is(dl.headers['content-type'], 'application/pdf');
  t.regex(dl.headers['content-disposition'], /^attachment; filename="Proc_s-verbal mai.pdf"; filename\*=UTF-8''Proc%C3%A8s-verbal%20mai\.pdf$/);
  t.is(dl.headers['x-content-type-options'], 'nosniff');
  t.regex(dl.headers['content-security-policy'], /sandbox/);
  t.regex(dl.headers['cache-control'], /private, no-cache/);
  t.is(dl.headers['accept-ranges'], 'bytes');
  t.true((dl.body as Buffer).equals(pdf()));
  // ranges
  const part = await bytes(o.agent.http.get(`/files/${doc}/download`).set('Range', 'bytes=0-7'));
  t.is(part.status, 206);
  t.is(part.headers['content-range'], `bytes 0-7/${pdf().length}`);
  t.is((part.body as Buffer).toString(), '%PDF-1.4');
  const tail = await bytes(o.agent.http.get(`/files/${doc}/download`).set('Range', 'bytes=-6'));
  t.is(tail.status, 206);
  t.is((tail.body as Buffer).toString(), '%%EOF\n');
  const bad = await o.agent.http.get(`/files/${doc}/download`).set('Range', `bytes=${pdf().length + 10}-`);
  t.is(bad.status, 416);
  t.is(bad.headers['content-range'], `bytes */${pdf().length}`);
  const text = fileId(await upload(o, [{ data: Buffer.from('notes'), name: 'notes.txt' }], { access: 'members' }));
  t.is((await o.get(`/files/${text}/image/display`)).status, 404, 'a text document has no image variant');
  t.true((await o.get(`/files/${text}`)).text.includes('No preview for this type of file'));

  // an image: the variants are inline with their type, the download is an attachment
  const photo = fileId(await upload(o, [{ data: await png(), name: 'team.png', type: 'image/png' }]));
  const shown = await bytes(o.agent.http.get(`/files/${photo}/image/display`));
  t.is(shown.status, 200);
  t.is(shown.headers['content-type'], 'image/png');
  t.false('content-disposition' in shown.headers);
  t.regex(shown.headers['content-security-policy'], /sandbox/);
  t.regex((await o.get(`/files/${photo}/download`)).headers['content-disposition'], /^attachment/);
  t.is((await o.get(`/files/${photo}/image/original`)).status, 404);
});

eachFilesApp('files: SVG, HTML renamed .png and image polyglots are never served inline', async (t, app) => {
  await app.member('olga');
  const o = await app.as('olga');
  // refused by the default allow-list, whatever the name and declared type
  const svg = await upload(o, [{ data: Buffer.from(SVG), name: 'logo.png', type: 'image/png' }]);
  t.is(svg.status, 415);
  t.true(svg.text.includes('logo.png is a type of file that is not accepted here (image/svg+xml)'));
  const html = await upload(o, [{ data: Buffer.from(HTML), name: 'cat.png', type: 'image/png' }]);
  t.is(html.status, 415);
  t.true(html.text.includes('(text/html)'));
  t.is(await countRows(app.db, 'files_items'), 0, 'nothing stored');
  // an admin who allows them still gets downloads only, as bytes a browser will not run
  const allowed = app.rt.pluginState.settings('files').allowedTypes as string;
  await app.settings({ allowedTypes: `${allowed}, image/svg+xml, text/html` });
  for (const [data, name] of [
    [SVG, 'logo.svg'],
    [HTML, 'cat.png'],
  ]) {
    const id = fileId(await upload(o, [{ data: Buffer.from(data), name, type: 'image/png' }]));
    const dl = await o.get(`/files/${id}/download`);
    t.is(dl.status, 200);
    t.is(dl.headers['content-type'], 'application/octet-stream', `${name}: served as bytes`);
    t.regex(dl.headers['content-disposition'], /^attachment/);
    t.regex(dl.headers['content-security-policy'], /sandbox/);
    t.is((await o.get(`/files/${id}/image/display`)).status, 404, `${name}: no inline variant`);
    t.is((await o.get(`/files/${id}/image/thumb`)).status, 404);
  }
  // a GIF header followed by a script is not an image sharp can read: refused
  const fake = await upload(o, [{ data: Buffer.from(`GIF89a${HTML}`), name: 'x.gif', type: 'image/gif' }]);
  t.is(fake.status, 422);
  t.true(fake.text.includes('x.gif looks like an image but could not be read'));
  // a real PNG with HTML appended: accepted, but what is shown inline is sharp's re-encoding, without the script
  const polyglot = Buffer.concat([await png(64, 64), Buffer.from(HTML)]);
  const id = fileId(await upload(o, [{ data: polyglot, name: 'poly.png', type: 'image/png' }]));
  for (const variant of ['display', 'thumb']) {
    const res = await bytes(o.agent.http.get(`/files/${id}/image/${variant}`));
    t.is(res.headers['content-type'], 'image/png');
    t.false((res.body as Buffer).includes('<script>'), `${variant}: re-encoded`);
  }
  const dl = await bytes(o.agent.http.get(`/files/${id}/download`));
  t.false((dl.body as Buffer).includes('<script>'), 'without kept originals, the download is the re-encoded image too');
  t.regex(dl.headers['content-disposition'], /^attachment/);
});

eachFilesApp('files: type, size and quota refusals store nothing and say why (en, fr, JSON)', async (t, app) => {
  const olga = await app.member('olga');
  const cora = await app.member('cora');
  const o = await app.as('olga');
  const count = async () => Number((await app.db('files_items').count({ n: '*' }).first())?.n);
  /** The objects the store holds under files/ (local folder or S3 bucket). */
  const stored = async () => {
    let n = 0;
    for await (const _ of app.rt.storage.list('files/')) n++;
    return n;
  };
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120, 1)]);
  const type = await upload(o, [{ data: elf, name: 'report.pdf', type: 'application/pdf' }]);
  t.is(type.status, 415);
  t.true(type.text.includes('report.pdf is a type of file that is not accepted here (application/x-elf)'));
  t.true(type.text.includes('Nothing was uploaded'));
  // one refused file refuses the whole batch
  const mixed = await upload(o, [
    { data: Buffer.from('fine'), name: 'ok.txt' },
    { data: elf, name: 'bad.bin' },
  ]);
  t.is(mixed.status, 415);
  t.is(await count(), 0);
  t.is((await upload(o, [])).status, 400);
  // size limit per file
  await app.settings({ maxFileMb: 1, memberQuotaMb: 2, groupQuotaMb: 1 });
  const big = Buffer.alloc(1024 * 1024 + 10, 'a');
  const large = await upload(o, [{ data: big, name: 'big.txt' }]);
  t.is(large.status, 422);
  t.true(large.text.includes('big.txt is larger than 1.0 MB, the largest file allowed.'));
  // member quota: used / allowed shown, refused before storing
  const part = Buffer.alloc(700 * 1024, 'b');
  t.is((await upload(o, [{ data: part, name: 'one.txt' }])).status, 303);
  t.is((await upload(o, [{ data: part, name: 'two.txt' }])).status, 303);
  t.true((await o.get('/files')).text.includes('1.4 MB used of 2.0 MB'));
  const objects = await stored();
  const over = await upload(o, [{ data: part, name: 'three.txt' }]);
  t.is(over.status, 413);
  t.true(over.text.includes('Your files would go over your space: 1.4 MB used of 2.0 MB.'));
  t.is(await count(), 2);
  t.is(await stored(), objects, 'no byte of the refused file reached the store');
  const json = await upload(o, [{ data: part, name: 'three.txt' }], {}, 'application/json');
  t.is(json.status, 413);
  t.deepEqual(json.body, { errors: ['Your files would go over your space: 1.4 MB used of 2.0 MB.'] });
  // group quota, counted apart from the member's
  const group = await app.container(olga, [cora]);
  t.is((await upload(o, [{ data: part, name: 'g1.txt' }], { container: String(group) })).status, 303);
  const groupOver = await upload(o, [{ data: part, name: 'g2.txt' }], { container: String(group) });
  t.is(groupOver.status, 413);
  t.true(groupOver.text.includes('The group&#x27;s library would go over its space: 0.7 MB used of 1.0 MB.'));
  // French
  await app.db('users').where({ id: olga }).update({ locale: 'fr' });
  const fr = await upload(await app.as('olga'), [{ data: elf, name: 'x.bin' }]);
  t.true(fr.text.includes('x.bin est d’un type de fichier qui n’est pas accepté ici (application/x-elf).'));
  t.is(await count(), 3);
  // accepted upload answered in JSON for the script
  await app.settings({ memberQuotaMb: 0 });
  const ok = await upload(o, [{ data: Buffer.from('hello'), name: 'a.txt' }], {}, 'application/json');
  t.is(ok.status, 201);
  t.regex(ok.body.next, /^\/files\/\d+$/);
});

eachFilesApp('files: photos are turned upright and stored without EXIF (location, camera)', async (t, app) => {
  await app.member('olga');
  const o = await app.as('olga');
  const withExif = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#c33' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'Canon', Model: 'EOS 5D' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 0/1' } })
    .withMetadata({ orientation: 6 })
    .toBuffer();
  t.truthy((await sharp(withExif).metadata()).exif, 'the upload carries EXIF');
  const id = fileId(await upload(o, [{ data: withExif, name: 'holiday.jpg', type: 'image/jpeg' }]));
  const row = await app.db('files_items').where({ entity_id: id }).first();
  t.is(row.original_key, null, 'originals are not kept by default');
  for (const key of [row.display_key, row.thumb_key]) {
    const stored = await app.rt.storage.get(key);
    const meta = await sharp(stored!.data).metadata();
    t.is(meta.exif, undefined, 'no EXIF in the stored bytes');
    t.false(stored!.data.includes('Exif\0\0'));
    t.false(stored!.data.includes('Canon'));
    t.is(meta.orientation, undefined);
    if (key === row.display_key) t.deepEqual([meta.width, meta.height], [200, 400], 'turned upright');
  }
  // kept originals are the owner's to download; others get the stripped copy
  await app.settings({ keepOriginals: true });
  const kept = fileId(await upload(o, [{ data: withExif, name: 'kept.jpg', type: 'image/jpeg' }], { access: 'members' }));
  await app.member('mia');
  const m = await app.as('mia');
  const theirs = await bytes(m.agent.http.get(`/files/${kept}/download?original=1`));
  t.is((await sharp(theirs.body as Buffer).metadata()).exif, undefined);
  const own = await bytes(o.agent.http.get(`/files/${kept}/download?original=1`));
  t.true((own.body as Buffer).equals(withExif));
});
