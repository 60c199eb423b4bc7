/**
 * `ruche search reindex [--network slug]`: rebuilds the index (every network, or one) from the
 * content rows (the whole rebuild empties it first and, on PostgreSQL, builds its indexes after
 * the load; on SQLite the index is merged into one segment after it); bad flags, an unknown network and a disabled search plugin are one-line errors
 * with a non-zero exit.
 */
import { eachDatabase } from '../helpers/databases';
import { insertUser } from '../helpers/rows';
import { assertOneLineError } from './helpers';
import { addParis, installed } from './setup';

eachDatabase('ruche search reindex rebuilds the index of every network or of one, and refuses bad input', async (t, database) => {
  const site = await installed(t, database.kind);
  const db = site.db();
  const paris = await addParis(site);
  const author = await insertUser(db, 'olga');
  await db('memberships').insert({
    user_id: author,
    network_id: (await db('networks').where({ slug: 'root' }).first('id')).id,
    role: 'member',
    created_at: 1,
  });
  const post = async (networkId: number, body: string): Promise<void> => {
    const [row] = await db('entities')
      .insert({ type: 'status', owner_id: author, network_id: networkId, access: 'members', published: true, created_at: 1, updated_at: 1 })
      .returning('id');
    await db('status_posts').insert({ entity_id: Number(typeof row === 'object' ? row.id : row), body });
  };
  const root = (await db('networks').where({ slug: 'root' }).first('id')).id;
  for (let i = 0; i < 3; i++) await post(root, `root post ${i}`);
  await post(paris, 'un billet parisien');
  const indexed = async (): Promise<number> =>
    Number(((await db(database.kind === 'sqlite' ? 'search_fts' : 'derived_search_docs').count({ n: '*' })) as { n: number }[])[0].n);
  t.is(await indexed(), 0, 'rows written straight into the tables are not indexed yet');

  const one = await site.ruche('search', 'reindex', '--network', 'paris');
  t.is(one.code, 0, one.stderr);
  t.regex(one.stdout, /^Indexed 1 entity in network "paris"\.$/m);
  t.is(await indexed(), 1);
  const all = await site.ruche('search', 'reindex');
  t.is(all.code, 0, all.stderr);
  t.regex(all.stdout, /^Indexed 4 entities in every network\.$/m);
  t.is(await indexed(), 4);
  t.truthy(await db('derived_search_terms').where({ term: 'parisien' }).first('term'), 'the words indexed are remembered for "did you mean"');
  if (database.kind === 'sqlite') {
    // The whole rebuild (emptying, then a batch) leaves FTS5 one segment, not one per write.
    const segments = (await db.raw('select count(distinct segid) as n from search_fts_idx')) as { n: number }[];
    t.is(segments[0].n, 1, 'the index is merged after the rebuild');
  }
  if (database.kind === 'postgres') {
    // The whole rebuild loads without the GIN and scope indexes and builds them after.
    const indexes = (await db.raw(`select indexname from pg_indexes where tablename = 'derived_search_docs' order by indexname`)) as {
      rows: { indexname: string }[];
    };
    t.deepEqual(
      indexes.rows.map((r) => r.indexname),
      ['derived_search_docs_pkey', 'derived_search_docs_scope', 'derived_search_docs_tsv'],
    );
  }
  // A row left by an entity deleted without its queue entry goes with the whole rebuild.
  await db('entities').where({ network_id: paris }).update({ deleted_at: 2 });
  const again = await site.ruche('search', 'reindex');
  t.is(again.code, 0, again.stderr);
  t.regex(again.stdout, /^Indexed 3 entities in every network\.$/m);
  t.is(await indexed(), 3);

  assertOneLineError(t, await site.ruche('search', 'reindex', '--network', 'nowhere'), /there is no network "nowhere"/);
  assertOneLineError(t, await site.ruche('search', 'reindex', '--bogus'), /unknown option '--bogus'/);
  assertOneLineError(t, await site.ruche('search', 'rebuild'), /unknown command 'rebuild'/);
  const off = await site.ruche('plugin', 'disable', 'search');
  t.is(off.code, 0, off.stderr);
  assertOneLineError(t, await site.ruche('search', 'reindex'), /no search plugin is enabled in every network/);
});
