// A post's page kept by version (issue 18, plugins/blogs/post-page.ts): its article and its panels are
// taken from the fragment cache on the next view without reading tags, mentions, comments or reactions;
// every writer of what they show (a comment, a reaction, the post's row, a comment's body, a
// moderator's withholding, the author's name) shows on the next view, as rendered without the cache;
// and two viewers with different rights or reactions never get each other's page (both databases).
import type { Response } from 'supertest';
import { statementsDuring } from '../../helpers/statements';
import { eachBlogApp, type BlogApp, type Member } from './support';

/** The post's part of a page (its article and panels), without the per-request form tokens and times. */
function postOf(res: Response): string {
  const html = res.text;
  const from = html.indexOf('<article class="page-column blogs-post"');
  const to = html.indexOf('</main>', from);
  if (from < 0 || to < 0) throw new Error(`no post in the page (${res.status})`);
  return html
    .slice(from, to)
    .replace(/name="_csrf" value="[^"]+"/g, '')
    .replace(/<time[^>]*>[^<]*<\/time>/g, '<time></time>');
}

/** The statements that read what a kept page does not: tags, mentions, comments, reactions, files. */
const PARTS = /entity_tags|content_mentions|page_top|reaction_counts|files_items/;

async function viewOf(app: BlogApp, who: Member, id: number): Promise<{ html: string; parts: string[] }> {
  const { value: res, sql } = await statementsDuring(app.rt, () => who.get(`/blogs/${id}`));
  if (res.status !== 200) throw new Error(`status ${res.status}`);
  return { html: postOf(res), parts: sql.filter((s) => PARTS.test(s)) };
}

/** The same view rendered without the fragment cache. */
async function uncached(app: BlogApp, who: Member, id: number): Promise<string> {
  const options = app.rt.views.fragments.options as { enabled: boolean };
  options.enabled = false;
  try {
    const res = await who.get(`/blogs/${id}`);
    return postOf(res);
  } finally {
    options.enabled = true;
  }
}

eachBlogApp("a post's page is kept by version, and every writer of what it shows changes it", async (t, app) => {
  const alice = await app.member('alice');
  await app.member('bob');
  await app.member('cat', { role: 'moderator' });
  const id = await app.write(alice, { title: 'Kept post', body: 'Hello **world**', tags: ['garden'] });
  const bob = await app.as('bob');
  const cat = await app.as('cat');

  const first = await viewOf(app, bob, id);
  t.true(first.html.includes('Kept post') && first.html.includes('#garden'));
  t.true(first.parts.length > 0, 'the first view reads its parts');
  const again = await viewOf(app, bob, id);
  t.deepEqual(again.parts, [], 'a kept view reads no tag, comment nor reaction');
  t.is(again.html, first.html);
  t.is(again.html, await uncached(app, bob, id), 'as rendered without the cache');

  // Each writer, then bob's next view: the new page, as rendered without the cache.
  const check = async (what: string, shows: (html: string) => boolean): Promise<void> => {
    const view = await viewOf(app, bob, id);
    t.true(shows(view.html), what);
    t.is(view.html, await uncached(app, bob, id), `${what}: as rendered without the cache`);
  };
  t.is((await cat.post(`/entities/${id}/comments`, { body: 'A **kept** comment' })).status, 303);
  await check('a new comment', (h) => h.includes('A <strong>kept</strong> comment'));
  t.is((await cat.post(`/entities/${id}/react`, { reaction: 'love' })).status, 303);
  await check('a reaction', (h) => /reaction__count[^>]*>1</.test(h));
  await app.db('blog_posts').where({ entity_id: id }).update({ title: 'Retitled post' });
  await check("the post's row", (h) => h.includes('Retitled post') && !h.includes('Kept post'));
  const comment = (await app.db('comments').where({ entity_id: id }).first('id')) as { id: number };
  await app.db('comments').where({ id: comment.id }).update({ body: 'An edited comment' });
  await check("a comment's body", (h) => h.includes('An edited comment'));
  await app.db('users').where({ id: alice }).update({ display_name: 'Alice Renamed' });
  await check("the author's name", (h) => h.includes('Alice Renamed'));
  await app.db('comments').where({ id: comment.id }).update({ withheld: true });
  await check('a withheld comment, for a member', (h) => !h.includes('An edited comment'));
  const mod = await viewOf(app, cat, id);
  t.true(mod.html.includes('An edited comment'), 'the withheld comment, for its author and moderator');
  t.is(mod.html, await uncached(app, cat, id));
});

eachBlogApp("two viewers never get each other's kept page", async (t, app) => {
  const alice = await app.member('alice');
  await app.member('bob');
  await app.member('cat');
  const id = await app.write(alice, { title: 'Shared post', body: 'Text' });
  const a = await app.as('alice');
  const bob = await app.as('bob');
  const cat = await app.as('cat');
  t.is((await bob.post(`/entities/${id}/react`, { reaction: 'love' })).status, 303);
  const edit = `href="/blogs/${id}/edit"`;
  // Alternated, so that each view may meet the one kept for the other.
  for (let round = 0; round < 2; round++) {
    const author = await viewOf(app, a, id);
    t.true(author.html.includes(edit), 'the author may edit');
    const mine = await viewOf(app, bob, id);
    t.false(mine.html.includes(edit), 'a member may not');
    t.true(mine.html.includes('reaction--mine'), 'his reaction is his');
    const other = await viewOf(app, cat, id);
    t.false(other.html.includes(edit));
    t.false(other.html.includes('reaction--mine'), "not another's reaction");
    if (round === 1) t.deepEqual([...author.parts, ...mine.parts, ...other.parts], [], 'each kept, for its viewer');
  }
  t.is((await viewOf(app, bob, id)).html, await uncached(app, bob, id));
  t.is((await viewOf(app, cat, id)).html, await uncached(app, cat, id));
  t.is((await viewOf(app, a, id)).html, await uncached(app, a, id));
});
