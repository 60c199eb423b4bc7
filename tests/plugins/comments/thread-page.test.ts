// A thread's page (blog post, topic, any commentable page) reads its 20 top-level comments in order
// through the index and stops at the page (issue 18): a post with thousands of comments ranked them
// all (a window function) for every page. Same comments shown: live ones and deleted ones that still
// have live replies, in order, 20 a page.
import { eachSocialApp } from './support';

eachSocialApp('a thread page lists its top-level comments in order, 20 a page, without ranking them all', async (t, app) => {
  const owner = await app.member('owner');
  const note = await app.note(owner, 'members');
  const row = (i: number, extra: Record<string, unknown> = {}) => ({
    entity_id: note,
    network_id: app.root,
    author_id: owner,
    parent_id: null,
    body: `c${i}`,
    created_at: 1000 + i,
    ...extra,
  });
  const ids: number[] = [];
  for (let i = 0; i < 45; i++) {
    const [r] = await app
      .db('comments')
      .insert(row(i, i % 10 === 3 ? { deleted_at: 5000 } : {}))
      .returning('id');
    ids.push(Number(typeof r === 'object' ? r.id : r));
  }
  // Comment 3 (deleted) keeps a live reply, so it shows as a placeholder; 13, 23, 33 and 43 are gone.
  await app.db('comments').insert(row(100, { parent_id: ids[3] }));
  const shown = ids.filter((_, i) => i % 10 !== 3 || i === 3);
  const token = await app.bearer(owner);
  const statements: string[] = [];
  const listen = (q: { sql: string }) => void statements.push(q.sql);
  const pages: number[][] = [];
  for (const n of [1, 2, 3]) {
    app.db.on('query', listen);
    const res = await app.agent().http.get(`/api/v1/entities/${note}/comments?comments_page=${n}`).set('Authorization', `Bearer ${token}`);
    app.db.off('query', listen);
    t.is(res.status, 200);
    t.is(res.body.topLevel, shown.length);
    t.is(res.body.pages, 3);
    pages.push((res.body.comments as { id: number; parentId: number | null }[]).filter((c) => c.parentId === null).map((c) => c.id));
  }
  t.deepEqual(pages, [shown.slice(0, 20), shown.slice(20, 40), shown.slice(40)]);
  t.is(statements.filter((s) => /row_number/.test(s)).length, 0, 'no statement ranks the whole thread');
});
