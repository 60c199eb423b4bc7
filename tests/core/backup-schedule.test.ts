// The scheduled backup job (`backup.everyHours`, `backup.keep`): due by the newest archive it
// wrote, keeps `keep` of them, never deletes an archive named otherwise; its archives restore.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { checkBackup, knownOwners, scheduledBackup, stampedName } from '../../core/backup';
import { corePlugin } from '../../core/plugin';
import { eachDatabase } from '../helpers/databases';
import { makeApp } from '../helpers/app';

const HOUR = 3_600_000;

eachDatabase('scheduled backups: written when due, the oldest beyond `keep` deleted, others kept', async (t, db) => {
  const dir = path.join(db.dataDir, 'nightly');
  const { app, close } = await makeApp(db, { config: { backup: { everyHours: 24, keep: 2, dir } } });
  try {
    const rt = app.ruche;
    t.is(rt.config.backup.dir, dir);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'before-upgrade.tar.gz'), 'mine');
    const t0 = Date.UTC(2026, 11, 1, 2, 0, 0);
    const names = (): string[] => fs.readdirSync(dir).sort();

    const first = await scheduledBackup(rt, t0);
    t.truthy(first.written);
    t.deepEqual(names(), ['before-upgrade.tar.gz', stampedName('ruche', new Date(t0))]);
    t.falsy((await scheduledBackup(rt, t0 + 23 * HOUR)).written, 'not due before 24 hours');
    t.truthy((await scheduledBackup(rt, t0 + 24 * HOUR + 5_000)).written);
    const third = await scheduledBackup(rt, t0 + 48 * HOUR + 10_000);
    t.deepEqual(third.deleted, [stampedName('ruche', new Date(t0))]);
    t.deepEqual(names(), [
      'before-upgrade.tar.gz',
      stampedName('ruche', new Date(t0 + 24 * HOUR + 5_000)),
      stampedName('ruche', new Date(t0 + 48 * HOUR + 10_000)),
    ]);
    const manifest = await checkBackup({ appRoot: rt.appRoot, owners: knownOwners(rt.plugins), workDir: db.dataDir }, third.written!.file);
    t.is(manifest.tables.find((x) => x.name === 'users')?.rows, 1, 'the admin');
    t.deepEqual(
      fs.readdirSync(db.dataDir).filter((n) => n.startsWith('.ruche-')),
      [],
      'no staging folder left behind',
    );
  } finally {
    await close();
  }
});

eachDatabase('scheduled backups are off by default', async (t, db) => {
  const { app, close } = await makeApp(db);
  try {
    t.is(app.ruche.config.backup.everyHours, 0);
    t.deepEqual(await scheduledBackup(app.ruche, Date.now()), { deleted: [] });
    t.false(fs.existsSync(app.ruche.config.backup.dir));
  } finally {
    await close();
  }
});

test('the core declares the hourly backup job', (t) => {
  t.true(corePlugin.jobs?.some((j) => j.kind === 'core.backup' && j.everyMs === HOUR));
});
