// Migration 002_visibility_friends of the profiles plugin: fields stored with the old level
// `connections` take the core's word `friends`, and only they; the page then shows them to the
// owner's friends (before, an unknown level showed them to the owner and root admins only).
import { eachApp } from '../../helpers/each-app';
import { makeApp } from '../../helpers/app';
import { migratorConfig } from '../../../core/db/migration';
import { migrations } from '../../../plugins/profiles/migrations';
import { addField, addUser, befriend, setValue, signIn } from './support';

eachApp('profiles migration 002 renames the connections level to friends, and back', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const config = migratorConfig('profiles', migrations);
  // 003 (photo keys moved to users), 004 (searchable fields), 005 (the directory filters' indexes)
  // 006 (the people search's index), 007 (its trigrams) and 008 (the values' version) came later:
  // step back over them first.
  t.deepEqual(await rt.db.migrate.down(config), [1, ['008_values_version']], 'the last migration of profiles is 008');
  t.deepEqual(await rt.db.migrate.down(config), [1, ['007_people_search_trigrams']], 'then 007');
  t.deepEqual(await rt.db.migrate.down(config), [1, ['006_people_search_index']], 'then 006');
  t.deepEqual(await rt.db.migrate.down(config), [1, ['005_department_location_indexes']], 'then 005');
  t.deepEqual(await rt.db.migrate.down(config), [1, ['004_searchable_fields']], 'then 004');
  t.deepEqual(await rt.db.migrate.down(config), [1, ['003_photo_to_users']], 'then 003');
  t.deepEqual(await rt.db.migrate.down(config), [1, ['002_visibility_friends']], 'then 002');
  const owner = await addUser(app, 'owner');
  const friend = await addUser(app, 'friend');
  await addUser(app, 'stranger');
  await befriend(app, owner, friend);
  const old = await addField(app, 'camp', 'text', 'connections');
  const other = await addField(app, 'desk', 'text', 'members');
  await setValue(app, owner, old, 'NORTH-CAMP');
  await setValue(app, owner, other, 'DESK-12');
  const fr = await signIn(app, 'friend');

  t.deepEqual(await rt.db.migrate.up(config), [2, ['002_visibility_friends']]);
  // Today's pages read today's schema: 003 to 008 again before them.
  t.deepEqual(await rt.db.migrate.up(config), [3, ['003_photo_to_users']]);
  t.deepEqual(await rt.db.migrate.up(config), [4, ['004_searchable_fields']]);
  t.deepEqual(await rt.db.migrate.up(config), [5, ['005_department_location_indexes']]);
  t.deepEqual(await rt.db.migrate.up(config), [6, ['006_people_search_index']]);
  t.deepEqual(await rt.db.migrate.up(config), [7, ['007_people_search_trigrams']]);
  t.deepEqual(await rt.db.migrate.up(config), [8, ['008_values_version']]);
  const levels = async () =>
    Object.fromEntries(
      ((await rt.db('profile_fields').whereIn('id', [old, other]).select('key', 'visibility')) as { key: string; visibility: string }[]).map((r) => [
        r.key,
        r.visibility,
      ]),
    );
  t.deepEqual(await levels(), { camp: 'friends', desk: 'members' });
  const page = (await fr.http.get('/people/owner')).text;
  t.true(page.includes('NORTH-CAMP'), 'a friend sees the migrated field');
  t.true(page.includes('My connections'), 'labelled with the friends level');
  t.false((await (await signIn(app, 'stranger')).http.get('/people/owner')).text.includes('NORTH-CAMP'), 'a stranger does not');

  for (const step of [
    '008_values_version',
    '007_people_search_trigrams',
    '006_people_search_index',
    '005_department_location_indexes',
    '004_searchable_fields',
    '003_photo_to_users',
    '002_visibility_friends',
  ])
    t.deepEqual((await rt.db.migrate.down(config))[1], [step]);
  t.deepEqual(await levels(), { camp: 'connections', desk: 'members' }, 'down restores the old word');
});
