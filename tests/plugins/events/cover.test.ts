// An event's cover: uploaded with the form (multipart), re-encoded by the core's coverImages,
// served only to who sees the event; a file that is not an image is a 400 with the form kept.
import sharp from 'sharp';
import { createdId, eachEventApp } from './support';

eachEventApp('events: a cover is uploaded with the form and served with the event access; a non-image is refused', async (t, app) => {
  await app.member('olga');
  await app.member('mia');
  const o = await app.as('olga');
  const year = new Date().getUTCFullYear() + 1;
  const fields = { title: 'Garden party', body: 'Look', access: 'private', starts: `${year}-05-01T15:00`, time_zone: 'Europe/Paris' };
  const multipart = async (file: { data: Buffer; name: string; type: string }) => {
    const req = o.agent.http.post('/events').field('_csrf', await o.token());
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req.attach('cover', file.data, { filename: file.name, contentType: file.type });
  };
  const png = await sharp({ create: { width: 1600, height: 900, channels: 3, background: { r: 40, g: 140, b: 90 } } })
    .png()
    .toBuffer();
  const res = await multipart({ data: png, name: 'c.png', type: 'image/png' });
  t.is(res.status, 303);
  const id = createdId(res);
  const row = await app.db('events').where({ entity_id: id }).first('cover_key');
  t.regex(row.cover_key, /^[a-f0-9]{20}$/);
  const src = /class="[^"]*\bevents-event__cover" src="([^"]+)"/.exec((await o.get(`/events/${id}`)).text)?.[1];
  t.is(src, `/events/${id}/cover/${row.cover_key}-1200.jpg`);
  const img = await o.agent.http.get(src!).buffer(true);
  t.is(img.status, 200);
  t.is(img.headers['content-type'], 'image/jpeg');
  t.is((await (await app.as('mia')).get(src!)).status, 404, 'a private event hides its cover too');
  const bad = await multipart({ data: Buffer.from('<html>not an image</html>'), name: 'x.png', type: 'image/png' });
  t.is(bad.status, 400);
  t.true(bad.text.includes('The cover must be a JPEG, PNG, GIF or WebP image.'));
  t.true(bad.text.includes('value="Garden party"'), 'the title is kept');
});
