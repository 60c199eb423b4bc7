import fs from 'node:fs';
import test from 'ava';
import { databaseKinds } from '../helpers/databases';
import { assertOneLineError, run, tempDir } from './helpers';
import { hasTable, installed } from './setup';

for (const kind of databaseKinds()) {
  test(`migrate, migrate --rollback, migrate again [${kind}]`, async (t) => {
    const i = await installed(t, kind);
    const nothing = await i.ruche('migrate');
    t.is(nothing.code, 0, nothing.stderr);
    t.is(nothing.stdout.trim(), 'Nothing to migrate.');

    t.is((await i.ruche('plugin', 'enable', 'demo')).code, 0);
    t.true(await hasTable(i, 'demo_items'));

    const back = await i.ruche('migrate', '--rollback');
    t.is(back.code, 0, back.stderr);
    t.regex(back.stdout, /^Reverted demo: 1 migration\n {2}001_demo_items$/m);
    t.false(await hasTable(i, 'demo_items'));

    const doctor = await i.ruche('doctor');
    t.is(doctor.code, 1);
    t.regex(doctor.stdout, /^FAIL no pending migrations: demo: 001_demo_items; run `ruche migrate`$/m);

    const again = await i.ruche('migrate');
    t.is(again.code, 0, again.stderr);
    t.regex(again.stdout, /^Applied demo: 1 migration\n {2}001_demo_items$/m);
    t.true(await hasTable(i, 'demo_items'));
    t.is((await i.ruche('migrate')).stdout.trim(), 'Nothing to migrate.');
  });

  test(`migrate on an empty database creates the core schema; rollback removes it [${kind}]`, async (t) => {
    const i = await installed(t, kind, { install: false });
    const env: Record<string, string> = { RUCHE_SECRET: 's'.repeat(40), ...(i.databaseUrl ? { RUCHE_DATABASE_URL: i.databaseUrl } : {}) };
    const r = await run(['migrate'], i.cwd, env);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, /^Applied core: \d+ migrations?\n {2}001_core_schema/m);
    t.true(await hasTable(i, 'networks'));
    const back = await run(['migrate', '--rollback'], i.cwd, env);
    t.is(back.code, 0, back.stderr);
    t.regex(back.stdout, /^Reverted core/m);
    t.false(await hasTable(i, 'networks'));
    t.is((await run(['migrate', '--rollback'], i.cwd, env)).stdout.trim(), 'Nothing to roll back.');
  });
}

test('migrate without a secret or config says how to install', async (t) => {
  const r = await run(['migrate'], tempDir(t));
  assertOneLineError(t, r, /E_CONFIG: .*secret: missing \(run `ruche install`/);
});

test('migrate with a config file that is not JSON fails with one line', async (t) => {
  const cwd = tempDir(t);
  fs.mkdirSync(`${cwd}/config`);
  fs.writeFileSync(`${cwd}/config/local.json`, '{ nope');
  assertOneLineError(t, await run(['migrate'], cwd), /E_CONFIG: config file .* is not valid JSON/);
});
