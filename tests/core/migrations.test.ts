/** Migrations: core and per-plugin bookkeeping, run-based rollback, pending detection at start. */
import { createApp, openBase, StartupError, type BaseRuntime } from '../../core';
import { coreMigrations } from '../../core/db/migrations';
import { eachDatabase, type TestDatabase } from '../helpers/databases';
import { makeApp, testConfig, FIXTURE_PLUGINS } from '../helpers/app';
import { hasTable } from '../fixtures/support';

const CORE_TABLES = ['networks', 'users', 'memberships', 'sessions', 'plugin_state', 'role_grants', 'entities', 'activity', 'core_settings'];
const coreNames = coreMigrations.map((m) => m.name).sort();

async function withBase(db: TestDatabase, fn: (base: BaseRuntime) => Promise<void>): Promise<void> {
  const base = await openBase(testConfig(db, { plugins: { dirs: [FIXTURE_PLUGINS] } }), { cwd: db.dataDir });
  try {
    await fn(base);
  } finally {
    await base.close();
  }
}

const fixtureOwner = (base: BaseRuntime) => base.plugins.owners(['fixture']);
const tablesPresent = async (base: BaseRuntime, tables: string[]) => (await Promise.all(tables.map((tb) => hasTable(base.db, tb)))).every(Boolean);
const tablesAbsent = async (base: BaseRuntime, tables: string[]) => (await Promise.all(tables.map((tb) => hasTable(base.db, tb)))).every((x) => !x);

eachDatabase('core migrations apply, the last run rolls back, and re-applying works', async (t, db) => {
  await withBase(db, async (base) => {
    t.false(await base.migrator.isInstalled());
    t.deepEqual(await base.migrator.pending(), [{ owner: 'core', names: coreNames }]);

    const applied = await base.migrator.latest();
    t.deepEqual(applied, [{ owner: 'core', names: coreNames }]);
    t.true(await tablesPresent(base, CORE_TABLES));
    t.true(await base.migrator.isInstalled());
    t.deepEqual(await base.migrator.pending(), []);
    t.deepEqual(await base.migrator.latest(), [], 'nothing left to apply');
    const recorded = await base.db('ruche_migrations_core').orderBy('name').pluck('name');
    t.deepEqual(recorded, coreNames);

    const reverted = await base.migrator.rollbackLastRun([]);
    t.deepEqual(
      reverted.map((r) => r.owner),
      ['core'],
    );
    t.deepEqual([...reverted[0].names].sort(), coreNames);
    t.true(await tablesAbsent(base, CORE_TABLES));
    t.false(await base.migrator.isInstalled());
    t.deepEqual(await base.migrator.rollbackLastRun([]), [], 'no run left to undo');

    t.deepEqual(await base.migrator.latest(), [{ owner: 'core', names: coreNames }]);
    t.true(await tablesPresent(base, CORE_TABLES));
    const root = await base.db('networks').whereNull('parent_id').first('slug');
    t.is(root?.slug, 'root', 'the seed row is back');
  });
});

eachDatabase('a run that advanced several owners is undone as a whole, newest owner first', async (t, db) => {
  await withBase(db, async (base) => {
    await base.migrator.latest(fixtureOwner(base));
    t.true(await hasTable(base.db, 'fixture_notes'));
    const reverted = await base.migrator.rollbackLastRun(fixtureOwner(base));
    t.deepEqual(
      reverted.map((r) => r.owner),
      ['fixture', 'core'],
    );
    t.false(await hasTable(base.db, 'fixture_notes'));
    t.false(await hasTable(base.db, 'networks'));
  });
});

eachDatabase('plugin migrations are bookkept per plugin and rolled back on their own', async (t, db) => {
  const { app, config, close } = await makeApp(db, { withFixtures: true });
  try {
    await app.ruche.pluginState.enable('fixture');
    t.true(await hasTable(app.ruche.db, 'fixture_notes'));
    t.deepEqual(await app.ruche.db('ruche_migrations_fixture').pluck('name'), ['001_fixture_notes']);
    t.false((await app.ruche.db('ruche_migrations_core').pluck('name')).includes('001_fixture_notes'));
  } finally {
    await close();
  }

  await withBase(db, async (base) => {
    const reverted = await base.migrator.rollbackLastRun(fixtureOwner(base));
    t.deepEqual(reverted, [{ owner: 'fixture', names: ['001_fixture_notes'] }], 'the last run was enabling the fixture');
    t.false(await hasTable(base.db, 'fixture_notes'));
    t.true(await tablesPresent(base, CORE_TABLES), 'core tables are untouched');
    t.deepEqual(await base.migrator.pending(fixtureOwner(base)), [{ owner: 'fixture', names: ['001_fixture_notes'] }]);
  });

  const err = await t.throwsAsync(createApp(config, { cwd: db.dataDir }), { instanceOf: StartupError });
  t.is(err?.code, 'E_MIGRATIONS_PENDING');
  t.true(err!.message.includes('fixture: 1'), err?.message);
  t.true(err!.message.includes('ruche migrate'), 'says what to do');

  const migrated = await createApp(config, { cwd: db.dataDir, migrate: true });
  try {
    t.true(await hasTable(migrated.ruche.db, 'fixture_notes'));
    t.true(migrated.ruche.pluginState.isEnabled('fixture'));
  } finally {
    await migrated.close();
  }
});

eachDatabase('a pending core migration or an empty database stops start-up with a coded error', async (t, db) => {
  const config = testConfig(db);
  const empty = await t.throwsAsync(createApp(config, { cwd: db.dataDir }), { instanceOf: StartupError });
  t.is(empty?.code, 'E_NOT_INSTALLED');

  await withBase(db, async (base) => {
    await base.migrator.latest();
    const last = [...coreMigrations].sort((a, b) => a.name.localeCompare(b.name)).pop()!;
    await last.down(base.db);
    await base.db('ruche_migrations_core').where({ name: last.name }).delete();
  });
  const pending = await t.throwsAsync(createApp(config, { cwd: db.dataDir }), { instanceOf: StartupError });
  t.is(pending?.code, 'E_MIGRATIONS_PENDING');
  t.true(pending!.message.includes('core: 1'), pending?.message);
});
