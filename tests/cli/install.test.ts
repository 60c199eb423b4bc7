import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { databaseKinds, freshDatabase, type DbKind } from '../helpers/databases';
import { ADMIN_FLAGS, assertOneLineError, run, tempDir } from './helpers';
import type { ExecutionContext } from 'ava';

/** A folder to install in, and the flags that point the install at a fresh database of `kind`. */
async function target(t: ExecutionContext, kind: DbKind): Promise<{ cwd: string; dbFlags: string[] }> {
  if (kind === 'sqlite') return { cwd: tempDir(t), dbFlags: [] };
  const db = await freshDatabase(kind);
  t.teardown(() => db.drop());
  return { cwd: db.dataDir, dbFlags: ['--database-url', db.url] };
}

test('--help lists every command', async (t) => {
  const r = await run(['--help'], tempDir(t));
  t.is(r.code, 0);
  for (const cmd of ['install', 'start', 'migrate', 'plugin', 'theme', 'user', 'doctor']) t.regex(r.stdout, new RegExp(`^  ${cmd}\\b`, 'm'));
  t.regex(r.stdout, /--config <file>/);
});

test('each command has --help', async (t) => {
  const cwd = tempDir(t);
  for (const args of [
    ['install'],
    ['start'],
    ['migrate'],
    ['plugin'],
    ['plugin', 'config'],
    ['theme', 'use'],
    ['user'],
    ['user', 'add'],
    ['user', 'suspend'],
    ['doctor'],
  ]) {
    const r = await run([...args, '--help'], cwd);
    t.is(r.code, 0, args.join(' '));
    t.regex(r.stdout, /^Usage: ruche /m);
  }
  t.deepEqual(fs.readdirSync(cwd), [], 'help writes nothing');
});

test('unknown commands and options are one line and exit 1', async (t) => {
  const cwd = tempDir(t);
  const cmd = await run(['frobnicate'], cwd);
  t.is(cmd.code, 1);
  assertOneLineError(t, cmd, /unknown command 'frobnicate'/);
  const opt = await run(['install', '--colour', 'blue'], cwd);
  t.is(opt.code, 1);
  assertOneLineError(t, opt, /unknown option '--colour'/);
  const missing = await run(['plugin', 'enable'], cwd);
  assertOneLineError(t, missing, /missing required argument 'id'/);
  t.deepEqual(fs.readdirSync(cwd), []);
});

for (const kind of databaseKinds()) {
  test(`install writes the config and the database, then refuses a second time [${kind}]`, async (t) => {
    const { cwd, dbFlags } = await target(t, kind);
    const r = await run(['install', ...dbFlags, '--site-name', 'Acme', '--locale', 'fr', ...ADMIN_FLAGS], cwd);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, /Ruche is installed/);
    t.regex(r.stdout, /network: +Acme \(fr\)/);
    t.regex(r.stdout, /admin: +admin <admin@example\.com>/);
    t.regex(r.stdout, /npm start/);
    if (kind === 'postgres') t.notRegex(r.stdout, /ruche:ruche@/, 'the database password is not printed');

    const file = path.join(cwd, 'config', 'local.json');
    const config = JSON.parse(fs.readFileSync(file, 'utf8')) as { secret: string; databaseUrl?: string };
    t.true(config.secret.length >= 60, 'a 48-byte random secret');
    t.is(fs.statSync(file).mode & 0o777, 0o600);
    if (kind === 'sqlite') t.true(fs.existsSync(path.join(cwd, 'data', 'ruche.sqlite')));
    else t.is(config.databaseUrl, dbFlags[1]);

    const again = await run(['install', ...dbFlags, '--yes'], cwd);
    assertOneLineError(t, again, /already installed here \(config\/local\.json exists\); use --force/);
    t.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), config, 'the config is untouched');

    const doctor = await run(['doctor'], cwd);
    t.is(doctor.code, 0, doctor.stdout);
  });

  test(`install refuses a database that already holds Ruche, even without a config file [${kind}]`, async (t) => {
    const { cwd, dbFlags } = await target(t, kind);
    t.is((await run(['install', ...dbFlags, '--yes'], cwd)).code, 0);
    fs.rmSync(path.join(cwd, 'config'), { recursive: true });
    const r = await run(['install', ...dbFlags, '--yes'], cwd);
    assertOneLineError(t, r, /already holds a Ruche installation; use --force/);
    t.false(fs.existsSync(path.join(cwd, 'config', 'local.json')), 'nothing written');
  });
}

test('install without admin flags says the setup link comes at start', async (t) => {
  const cwd = tempDir(t);
  const r = await run(['install', '--yes'], cwd);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /setup link/);
  t.regex(r.stdout, /network: +Ruche \(en\)/);
});

test('install --force on SQLite keeps the old database and config as .bak files', async (t) => {
  const cwd = tempDir(t);
  t.is((await run(['install', '--site-name', 'Old', ...ADMIN_FLAGS], cwd)).code, 0);
  const oldConfig = fs.readFileSync(path.join(cwd, 'config', 'local.json'), 'utf8');
  const r = await run(['install', '--force', '--site-name', 'New'], cwd);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /network: +New/);
  const backups = fs.readdirSync(path.join(cwd, 'data')).filter((f) => /^ruche\.sqlite\.bak-/.test(f));
  t.is(backups.length, 1, fs.readdirSync(path.join(cwd, 'data')).join(', '));
  t.regex(r.stdout, new RegExp(`kept: +data/${backups[0].replace(/\./g, '\\.')}`));
  const configBackups = fs.readdirSync(path.join(cwd, 'config')).filter((f) => f.startsWith('local.json.bak-'));
  t.is(fs.readFileSync(path.join(cwd, 'config', configBackups[0]), 'utf8'), oldConfig);
  t.not(fs.readFileSync(path.join(cwd, 'config', 'local.json'), 'utf8'), oldConfig, 'a new secret');
  t.true(fs.statSync(path.join(cwd, 'data', backups[0])).size > 0);
});

test('install --force on PostgreSQL refuses an existing Ruche schema', async (t) => {
  if (!databaseKinds().includes('postgres')) return t.pass();
  const db = await freshDatabase('postgres');
  t.teardown(() => db.drop());
  const flags = ['--database-url', db.url];
  t.is((await run(['install', ...flags, '--yes'], db.dataDir)).code, 0);
  const config = fs.readFileSync(path.join(db.dataDir, 'config', 'local.json'), 'utf8');
  const r = await run(['install', ...flags, '--force', '--yes'], db.dataDir);
  assertOneLineError(t, r, /PostgreSQL database .* already holds a Ruche installation; even with --force, install on an empty database/);
  t.is(fs.readFileSync(path.join(db.dataDir, 'config', 'local.json'), 'utf8'), config, 'config untouched');
});

const badFlags: [string, string[], RegExp, Record<string, string>?][] = [
  ['bad locale', ['--locale', 'de'], /locale: "de" is not available \(use en or fr\)/],
  [
    'bad email',
    ['--admin-email', 'not-an-email', '--admin-password', 'correct horse battery'],
    /admin email: This does not look like an email address/,
  ],
  ['weak password', ['--admin-email', 'a@example.com', '--admin-password', 'short'], /admin password: The password needs at least 10 characters/],
  ['password of digits', ['--admin-email', 'a@example.com', '--admin-password', '12345678901'], /admin password: This password is too easy to guess/],
  [
    'bad username',
    ['--admin-email', 'a@example.com', '--admin-password', 'correct horse battery', '--admin-username', '-x'],
    /admin username: Use 3 to 32/,
  ],
  ['email without password', ['--admin-email', 'a@example.com'], /--admin-email needs --admin-password/],
  ['password without email', ['--admin-password', 'correct horse battery'], /need --admin-email/],
  ['empty site name', ['--site-name', ' '], /site name: must not be empty/],
  [
    'bad database URL',
    ['--database-url', 'mysql://x'],
    /E_CONFIG: invalid configuration .*databaseUrl: must be sqlite:<path> or postgres:\/\/\.\.\./,
  ],
  ['a bad PORT in the environment', ['--yes'], /E_CONFIG: invalid configuration.*port/, { PORT: 'abc' }],
];

for (const [title, flags, message, env] of badFlags) {
  test(`install with ${title} exits 1 with one line and writes nothing`, async (t) => {
    const cwd = tempDir(t);
    const r = await run(['install', ...flags], cwd, env);
    t.is(r.code, 1);
    assertOneLineError(t, r, message);
    t.deepEqual(fs.readdirSync(cwd), [], 'nothing written');
  });
}

test('install honours --config and --data-dir', async (t) => {
  const cwd = tempDir(t);
  const r = await run(['--config', 'etc/ruche.json', 'install', '--data-dir', 'var', '--yes'], cwd);
  t.is(r.code, 0, r.stderr);
  t.true(fs.existsSync(path.join(cwd, 'etc', 'ruche.json')));
  t.true(fs.existsSync(path.join(cwd, 'var', 'ruche.sqlite')));
  t.false(fs.existsSync(path.join(cwd, 'config')));
  t.is((JSON.parse(fs.readFileSync(path.join(cwd, 'etc', 'ruche.json'), 'utf8')) as { dataDir: string }).dataDir, 'var');
  const doctor = await run(['doctor'], cwd, { RUCHE_CONFIG: 'etc/ruche.json' });
  t.is(doctor.code, 0, doctor.stdout);
  t.regex(doctor.stdout, /^OK {3}config valid \(etc\/ruche\.json; serves [\d.]+:\d+\)/m);
});
