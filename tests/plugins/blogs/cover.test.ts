// Cover images: uploaded with the form (multipart), resized by sharp, served only to who
// sees the post; a non-image, a broken image or a file too large is a clear 400.
import { createdId, eachBlogApp, png } from './support';

eachBlogApp('blogs: cover upload, served with the post access; bad files refused with a 400', async (t, app) => {
  await app.member('alice');
  await app.member('bob');
  const a = await app.as('alice');
  const fields = { title: 'With a cover', body: 'Look', tags: '', access: 'private', status: 'published' };
  const multipart = async (url: string, extra: Record<string, string>, file?: { data: Buffer; name: string; type: string }) => {
    const req = a.agent.http.post(url).field('_csrf', await a.token());
    for (const [k, v] of Object.entries({ ...fields, ...extra })) req.field(k, v);
    return file ? req.attach('cover', file.data, { filename: file.name, contentType: file.type }) : req;
  };
  const res = await multipart('/blogs', {}, { data: await png(1600, 900), name: 'c.png', type: 'image/png' });
  t.is(res.status, 303);
  const id = createdId(res);
  const row = await app.db('blog_posts').where({ entity_id: id }).first();
  t.regex(row.cover_key, /^[a-f0-9]{20}$/);
  const page = await a.get(`/blogs/${id}`);
  const src = /class="[^"]*\bblogs-post__cover" src="([^"]+)"/.exec(page.text)?.[1];
  t.is(src, `/blogs/${id}/cover/${row.cover_key}-1200.jpg`);
  const img = await a.agent.http.get(src!).buffer(true);
  t.is(img.status, 200);
  t.is(img.headers['content-type'], 'image/jpeg');
  t.regex(String(img.headers['cache-control']), /private/);
  t.true(Buffer.isBuffer(img.body) && img.body[0] === 0xff && img.body[1] === 0xd8, 'a JPEG');
  const b = await app.as('bob');
  t.is((await b.get(src!)).status, 404, 'a private post hides its cover too');
  t.is((await a.get(`/blogs/${id}/cover/${row.cover_key}-999.jpg`)).status, 404);

  const refused: [string, { data: Buffer; name: string; type: string }, string][] = [
    ['not an image', { data: Buffer.from('<html><script>alert(1)</script></html>'), name: 'x.png', type: 'image/png' }, 'This file is not an image'],
    [
      'a broken image',
      {
        data: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]),
        name: 'b.png',
        type: 'image/png',
      },
      'could not be read',
    ],
    [
      'too large',
      { data: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(6 * 1024 * 1024)]), name: 'big.jpg', type: 'image/jpeg' },
      'This image is too large: at most 5 MB.',
    ],
  ];
  for (const [label, file, message] of refused) {
    const r = await multipart('/blogs', { title: 'Kept on refusal' }, file);
    t.is(r.status, 400, label);
    t.true(r.text.includes(message), `${label}: message`);
    t.true(r.text.includes('value="Kept on refusal"'), `${label}: input kept`);
  }
  t.is((await app.db('blog_posts')).length, 1, 'nothing saved');

  // replacing, then removing the cover through the edit form
  const replaced = await multipart(`/blogs/${id}/edit`, {}, { data: await png(900, 900), name: 'd.png', type: 'image/png' });
  t.is(replaced.status, 303);
  const key2 = (await app.db('blog_posts').where({ entity_id: id }).first()).cover_key;
  t.not(key2, row.cover_key);
  t.true((await a.get(`/blogs/${id}/edit`)).text.includes(`/blogs/${id}/cover/${key2}-480.jpg`));
  t.is((await a.get(`/blogs/${id}/cover/${row.cover_key}-1200.jpg`)).status, 404, 'the old cover is no longer served');
  t.is((await multipart(`/blogs/${id}/edit`, { remove_cover: '1' })).status, 303);
  t.is((await app.db('blog_posts').where({ entity_id: id }).first()).cover_key, null);
});
