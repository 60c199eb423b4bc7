// A feed page costs a fixed number of queries: 2 or 20 posts, each with comments, replies
// and reactions from several members, render with the same count (no N+1).
import { eachDatabase } from '../../helpers/databases';
import { actApp, type ActApp } from './support';

async function feedQueries(app: ActApp, posts: number): Promise<{ queries: number; shown: number; text: string; sql: string[]; keptSql: string[] }> {
  const authorId = await app.member(`author${posts}`);
  const commenters = [`c${posts}a`, `c${posts}b`];
  for (const c of commenters) await app.member(c);
  const reader = `reader${posts}`;
  await app.member(reader);
  const ids: number[] = [];
  for (let i = 0; i < posts; i++) ids.push(await app.quickPost(authorId, `n1-${posts}-${i}`));
  for (const c of commenters) {
    const agent = await app.as(c);
    for (const id of ids) {
      if ((await agent.post(`/entities/${id}/comments`, { body: `comment by ${c}` })).status !== 303) throw new Error('comment failed');
      if ((await agent.post(`/entities/${id}/react`, { reaction: 'like' })).status !== 303) throw new Error('reaction failed');
    }
  }
  const r = await app.as(reader);
  await r.agent.http.get('/activity'); // warm caches (settings, templates)
  await app.rt.background.settled(); // the search plugin's indexing of what was just written
  let queries = 0;
  const sql: string[] = [];
  // The moderation plugin's look-up of the viewer's own hidden entries runs only when the page
  // holds something of the viewer's (one statement at most, whatever the page's length): a
  // short page of 2 may reach back to the reader's own entry where a page of 20 does not.
  const count = (q: { sql: string }) => void (/moderation_hidden/.test(q.sql) || (queries++, sql.push(q.sql)));
  // Every card described and read: the cards kept by version (plugins/activity/kept-cards.ts) off.
  const fragments = app.rt.views.fragments.options as { enabled: boolean };
  fragments.enabled = false;
  app.rt.db.on('query', count);
  const res = await r.agent.http.get('/activity');
  app.rt.db.off('query', count);
  fragments.enabled = true;
  // With them on, a page whose cards are all kept (the warm-up kept them) reads no card's data.
  const keptSql: string[] = [];
  const keep = (q: { sql: string }) => void keptSql.push(q.sql);
  app.rt.db.on('query', keep);
  await r.agent.http.get('/activity');
  app.rt.db.off('query', keep);
  const shown = new Set([...res.text.matchAll(/n1-\d+-\d+/g)].map((m) => m[0])).size;
  return { queries, shown, text: res.text, sql, keptSql };
}

eachDatabase('the network feed with comments and reactions makes the same number of queries for 2 and 20 posts', async (t, db) => {
  const small = await actApp(db);
  let few: Awaited<ReturnType<typeof feedQueries>>;
  try {
    few = await feedQueries(small, 2);
  } finally {
    await small.close();
  }
  const { freshDatabase } = await import('../../helpers/databases');
  const other = await freshDatabase(db.kind);
  const big = await actApp(other);
  try {
    const many = await feedQueries(big, 20);
    t.is(few.shown, 2);
    t.is(many.shown, 20, 'a page shows 20 distinct posts even when comments and likes are newer acts');
    t.true(many.text.includes('comment by c20a'), 'comments are shown');
    t.true(many.text.includes('data-panel="likes"') || many.text.includes('data-panel="reactions"'), 'reactions are shown');
    t.log(`queries: ${few.queries} for 2 posts, ${many.queries} for 20`);
    t.is(many.queries, few.queries, `queries for 20 posts (${many.queries}) equal those for 2 (${few.queries})`);
    t.true(many.queries <= 20, `a small fixed number (${many.queries}: viewer, feed, descriptions, panels, header indicators)`);
    // The panels take one statement each (comments with their authors and counts; reaction
    // counts marked with mine), and actors' avatars and owners' names come with the feed's rows.
    const panelTables = /[`" ](comments|comment_counts|reaction_counts|reactions)[`" ]/;
    t.is(many.sql.filter((q) => panelTables.test(q)).length, 2, many.sql.filter((q) => panelTables.test(q)).join('\n'));
    t.deepEqual(
      many.sql.filter((q) => /from [`"]users[`"] as [`"]u[`"] where/.test(q)),
      [],
      'no separate look-up of people',
    );
    t.deepEqual(
      many.sql.filter((q) => /entity_tags/.test(q)),
      [],
      'no tags read: a status shows its hashtags as links in its text',
    );
    const posts = many.sql.filter((q) => /[`" ](status_posts|mentions)[`" ]/.test(q));
    t.is(posts.length, 1, `status bodies and their mentions in one statement: ${posts.join('\n')}`);
    // Built once and kept prepared (issue 18): the per-entry statements (panels, bodies, summaries)
    // have the same text for 2 posts or 20, not one placeholder per post rebuilt by knex.
    const perEntry = (sql: string[]): string[] => sql.filter((q) => /[`" ](comments|reaction_counts|status_posts|blog_posts)[`" ]/.test(q)).sort();
    t.is(perEntry(many.sql).length, 3);
    t.deepEqual(perEntry(many.sql), perEntry(few.sql));
    // Cards kept by version: a page of kept cards reads none of their bodies, comments or reactions.
    t.deepEqual(perEntry(many.keptSql), [], many.keptSql.join('\n'));
    t.true(many.keptSql.length < many.queries, `${many.keptSql.length} statements for a page of kept cards`);
  } finally {
    await big.close();
    await other.drop();
  }
});
