// The blog post page reads its author with the post (issue 18: the page read them in a
// statement of their own): name, link and avatar come from the post's statement; the post, its
// tags and its thread are statements kept prepared.
import { eachBlogApp } from './support';
import { statementsDuring } from '../../helpers/statements';

eachBlogApp('blogs: the post page reads its author in the post statement', async (t, app) => {
  const alice = await app.member('alice');
  await app.member('bob');
  const id = await app.write(alice, { title: 'Authored', body: 'Text' });
  const b = await app.as('bob');
  const { value: page, statements } = await statementsDuring(app.rt, () => b.get(`/blogs/${id}`));
  t.is(page.status, 200);
  t.regex(page.text, /<a href="\/blogs\/by\/alice">Alice<\/a>/);
  t.regex(page.text, new RegExp(`class="blogs-meta__avatar" src="/avatars/${alice}/`));
  const post = statements.filter((s) => /blog_posts/.test(s.sql));
  t.is(post.length, 1);
  t.regex(post[0].sql, /users/);
  // Written once and kept prepared, not built by knex's query builder (which quotes every name).
  const own = statements.filter((s) => /blog_posts|entity_tags|page_top/.test(s.sql));
  t.is(own.length, 3, own.map((s) => s.sql).join('\n'));
  for (const s of own) t.notRegex(s.sql, /[`"]/, s.sql);
  t.deepEqual(
    statements.filter((s) => /\busers\b/.test(s.sql) && JSON.stringify(s.bindings) === JSON.stringify([alice, 1])),
    [],
    'no statement of its own for the author',
  );
});
