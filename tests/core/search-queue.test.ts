/**
 * `queueSearchOfType`: one statement queues every live entity of the given types for the search
 * index (a migration making a type searchable; the search plugin building an empty index). An
 * entity already queued is queued again at the new time, or keeps its place with `keepQueued`.
 */
import { openBase, queueSearchOfType } from '../../core';
import { testConfig } from '../helpers/app';
import { eachDatabase } from '../helpers/databases';
import { insertId, insertUser } from '../helpers/rows';

eachDatabase('queueSearchOfType queues the live entities of its types, merging or keeping what is queued', async (t, db) => {
  const base = await openBase(testConfig(db), { cwd: db.dataDir });
  t.teardown(() => base.close());
  await base.migrator.latest([]);
  const owner = await insertUser(base.db, 'olga');
  const network = Number((await base.db('networks').whereNull('parent_id').first('id')).id);
  const entity = (type: string, deleted = false): Promise<number> =>
    insertId(base.db, 'entities', {
      type,
      owner_id: owner,
      network_id: network,
      access: 'members',
      published: true,
      created_at: 1,
      updated_at: 1,
      deleted_at: deleted ? 2 : null,
    });
  const album = await entity('album');
  const post = await entity('status');
  await entity('album', true);
  await entity('poll');
  const queued = async (): Promise<[number, number][]> =>
    (await base.db('search_queue').orderBy('entity_id').select('entity_id', 'queued_at')).map((r) => [Number(r.entity_id), Number(r.queued_at)]);

  await base.db('search_queue').insert({ entity_id: album, queued_at: 5 });
  await queueSearchOfType(base.db, ['album', 'status'], { at: 10, keepQueued: true });
  t.deepEqual(
    await queued(),
    [
      [album, 5],
      [post, 10],
    ],
    'the live entities of both types, the one already queued keeping its time; none deleted, none of another type',
  );
  await queueSearchOfType(base.db, 'album', { at: 20 });
  t.deepEqual(
    await queued(),
    [
      [album, 20],
      [post, 10],
    ],
    'queued again at the new time',
  );
  await queueSearchOfType(base.db, [], { at: 30 });
  t.is((await queued()).length, 2, 'no types, nothing queued');
});
