// Writing posts through the forms: create, edit (revisions kept), delete (soft, activity
// gone), Markdown sanitised, tags, validation with the input kept (English and French),
// forged ids, guests sent to sign in.
import { createdId, eachBlogApp } from './support';

eachBlogApp('blogs: create, edit with revisions, delete; activity and events follow', async (t, app) => {
  const alice = await app.member('alice');
  await app.member('bob');
  const a = await app.as('alice');
  const form = await a.get('/blogs/new');
  t.is(form.status, 200);
  t.true(form.text.includes('enctype="multipart/form-data"'));
  t.regex(form.text, /<option value="members" selected>/, 'members is the default access level');

  const res = await a.post('/blogs', {
    title: 'First light',
    body: 'Hello **world**',
    tags: 'Travel, #photo  travel',
    access: 'members',
    status: 'published',
  });
  t.is(res.status, 303);
  const id = createdId(res);
  const entity = await app.rt.entities.get(id);
  t.is(entity?.type, 'blog_post');
  t.is(entity?.access, 'members');
  t.is(Number(entity?.owner_id), alice);
  t.deepEqual((await app.rt.entities.tagsOf([id])).get(id), ['photo', 'travel']);
  t.deepEqual(await app.db('activity').where({ entity_id: id }).pluck('verb'), ['published']);
  t.deepEqual(
    app.events.map((e) => e.name),
    ['blogs:published'],
  );
  t.like(app.events[0].payload, { entityId: id, authorId: alice });

  const b = await app.as('bob');
  const page = await b.get(`/blogs/${id}`);
  t.is(page.status, 200);
  t.true(page.text.includes('<strong>world</strong>'));
  t.true(page.text.includes('#travel'));
  t.false(page.text.includes(`/blogs/${id}/edit`), 'no edit link for another member');
  t.is((await b.get(`/blogs/${id}/edit`)).status, 403);
  t.is((await b.post(`/blogs/${id}/edit`, { title: 'Hijack', body: 'x', access: 'members', status: 'published' })).status, 403);
  t.is((await b.post(`/blogs/${id}/delete`)).status, 403);
  t.is((await b.get(`/blogs/${id}/revisions`)).status, 403);

  const edit = await a.get(`/blogs/${id}/edit`);
  t.true(edit.text.includes('value="First light"'));
  t.true(edit.text.includes('value="photo, travel"'));
  const upd = await a.post(`/blogs/${id}/edit`, {
    title: 'First light, revised',
    body: 'Hello again',
    tags: 'travel',
    access: 'public',
    status: 'published',
  });
  t.is(upd.status, 303);
  const row = await app.db('blog_posts').where({ entity_id: id }).first();
  t.is(row.title, 'First light, revised');
  t.is(row.body_html.trim(), '<p>Hello again</p>');
  t.not(row.edited_at, null);
  t.is((await app.rt.entities.get(id))?.access, 'public');
  t.deepEqual((await app.rt.entities.tagsOf([id])).get(id), ['travel']);
  t.deepEqual(await app.db('blog_revisions').where({ entity_id: id }).orderBy('id').pluck('title'), ['First light', 'First light, revised']);
  t.is(app.events.length, 1, 'editing a published post does not publish it again');
  t.is((await app.db('activity').where({ entity_id: id })).length, 1);
  // saving without a change of text keeps one revision per version
  await a.post(`/blogs/${id}/edit`, {
    title: 'First light, revised',
    body: 'Hello again',
    tags: 'travel, sea',
    access: 'public',
    status: 'published',
  });
  t.is((await app.db('blog_revisions').where({ entity_id: id })).length, 2);
  const revisions = await a.get(`/blogs/${id}/revisions`);
  t.is(revisions.status, 200);
  t.true(revisions.text.includes('Version 2') && revisions.text.includes('Version 1'));
  t.true(revisions.text.includes('First light') && revisions.text.includes('Hello again'));

  const del = await a.post(`/blogs/${id}/delete`);
  t.is(del.status, 303);
  t.not((await app.rt.entities.get(id))?.deleted_at, null);
  t.is((await app.db('activity').where({ entity_id: id })).length, 0, 'its activity is gone');
  t.is((await a.get(`/blogs/${id}`)).status, 404);
  t.false((await a.get('/blogs')).text.includes(`data-post="${id}"`));
  t.is(app.events[1].name, 'blogs:deleted');
});

eachBlogApp('blogs: Markdown is rendered and sanitised', async (t, app) => {
  await app.member('alice');
  const a = await app.as('alice');
  const body = [
    '# Big',
    '<script>alert(1)</script>',
    '<img src=x onerror="alert(2)">',
    '[click](javascript:alert(3))',
    '<a href="https://x.test" onclick="alert(4)">x</a>',
    '* one',
    '* two',
    '',
    '> quoted',
    '',
    '[ok](https://example.com)',
  ].join('\n');
  const id = createdId(await a.post('/blogs', { title: '<b>Title</b>', body, access: 'members', status: 'published' }));
  const html = (await a.get(`/blogs/${id}`)).text;
  const stored = (await app.db('blog_posts').where({ entity_id: id }).first()).body_html as string;
  for (const out of [html, stored]) {
    t.false(/<script>alert/.test(out), 'no script element');
    t.false(/<img[^>]*onerror/i.test(out), 'no event handler');
    t.false(/href="javascript:/i.test(out), 'no javascript: link');
    t.false(/<[a-z][^>]*\son\w+=/i.test(out), 'no on* attribute on any element');
  }
  t.true(stored.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'raw HTML is shown as text');
  t.true(stored.includes('<h2>Big</h2>'));
  t.true(stored.includes('<li>one</li>'));
  t.true(stored.includes('<blockquote>'));
  t.true(stored.includes('<a href="https://example.com"'), stored);
  t.true(html.includes('&lt;b&gt;Title&lt;/b&gt;'), 'the title is escaped');
});

eachBlogApp('blogs: bad input is refused with a 400, the input kept and localised messages', async (t, app) => {
  await app.member('alice');
  await app.member('zoe', { locale: 'fr' });
  const a = await app.as('alice');
  const ok = { title: 'Kept title', body: 'Kept body', tags: 'fine', access: 'members', status: 'published', publish_at: '' };
  const cases: [string, Record<string, string>, string][] = [
    ['empty title', { title: '  ' }, 'Give your post a title.'],
    ['title too long', { title: 'x'.repeat(201) }, 'at most 200 characters'],
    ['empty body', { body: ' \n ' }, 'Write the text of your post.'],
    ['bad tag', { tags: 'good, b@d!' }, 'These are not valid tags: b@d!'],
    ['forged access level', { access: 'everyone' }, 'Choose who can see this post'],
    ['group without a container', { access: 'group' }, 'Choose who can see this post'],
    ['forged status', { status: 'live' }, 'Choose when to publish'],
    ['schedule without a date', { status: 'scheduled' }, 'Give the date and time of publication.'],
    ['schedule with a bad date', { status: 'scheduled', publish_at: '2031-02-30T10:00' }, 'This date is not valid'],
    ['schedule in the past', { status: 'scheduled', publish_at: '2001-01-01T10:00' }, 'must be in the future'],
  ];
  for (const [label, change, message] of cases) {
    const res = await a.post('/blogs', { ...ok, ...change });
    t.is(res.status, 400, label);
    t.true(res.text.includes(message), `${label}: message`);
    t.true(res.text.includes('Some fields need your attention'), `${label}: summary`);
    if (!('title' in change)) t.true(res.text.includes('value="Kept title"'), `${label}: title kept`);
    if (!('body' in change)) t.true(res.text.includes('>Kept body</textarea>'), `${label}: body kept`);
  }
  t.is((await app.db('blog_posts')).length, 0, 'nothing saved');
  t.is((await app.db('entities').where({ type: 'blog_post' })).length, 0);

  const id = createdId(await a.post('/blogs', ok));
  const bad = await a.post(`/blogs/${id}/edit`, { ...ok, title: '', body: 'Changed body' });
  t.is(bad.status, 400);
  t.true(bad.text.includes('>Changed body</textarea>'));
  t.is((await app.db('blog_posts').where({ entity_id: id }).first()).body, 'Kept body');

  const z = await app.as('zoe');
  const fr = await z.post('/blogs', { ...ok, title: '' });
  t.is(fr.status, 400);
  t.true(fr.text.includes('Donnez un titre à votre billet.'));
  t.true(
    (await z.post('/blogs', { ...ok, status: 'scheduled', publish_at: '2001-01-01T10:00' })).text.includes(
      'La date de publication doit être dans le futur.',
    ),
  );
});

eachBlogApp('blogs: forged ids are 404s; guests are sent to sign in', async (t, app) => {
  const alice = await app.member('alice');
  const id = await app.write(alice, { title: 'Members only' });
  const a = await app.as('alice');
  for (const path of [
    '/blogs/999999',
    '/blogs/abc',
    '/blogs/999999/edit',
    '/blogs/999999/revisions',
    '/blogs/in/999999',
    '/blogs/in/x',
    '/blogs/by/nobody',
    `/blogs/${id}/cover/0123456789abcdef0123-480.jpg`,
    '/blogs/new?container=999999',
    '/blogs?tag=%20%20',
  ]) {
    t.is((await a.get(path)).status, 404, path);
  }
  t.is((await a.post('/blogs/999999/edit', { title: 'x', body: 'y', access: 'members', status: 'published' })).status, 404);
  t.is((await a.post('/blogs/999999/delete')).status, 404);
  t.is((await a.post('/blogs', { title: 'x', body: 'y', access: 'group', status: 'published', container: '999999' })).status, 404);
  // a status post of the activity plugin is not a blog post
  const other = await app.rt.entities.create({ type: 'status', ownerId: alice, networkId: app.rt.networks.root().id, access: 'public' });
  t.is((await a.get(`/blogs/${other}`)).status, 404);

  const guest = app.guest();
  for (const path of ['/blogs', `/blogs/${id}`, '/blogs/new', `/blogs/${id}/edit`, '/blogs/by/alice']) {
    const res = await guest.http.get(path);
    t.is(res.status, 302, path);
    t.regex(String(res.headers.location), /\/login\?next=/, path);
  }
});
