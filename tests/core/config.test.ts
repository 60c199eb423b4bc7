/** Configuration: defaults → config file → environment → overrides, and one-line errors naming the key. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { loadConfig, StartupError, type RucheConfig } from '../../core';

const SECRET = 's'.repeat(40);

function tempCwd(t: ExecutionContext, file?: string | Record<string, unknown>): string {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-config-'));
  t.teardown(() => fs.rmSync(cwd, { recursive: true, force: true }));
  if (file !== undefined) {
    fs.mkdirSync(path.join(cwd, 'config'));
    fs.writeFileSync(path.join(cwd, 'config', 'local.json'), typeof file === 'string' ? file : JSON.stringify(file));
  }
  return cwd;
}

function refused(t: ExecutionContext, load: () => RucheConfig, ...parts: string[]): string {
  const err = t.throws(load, { instanceOf: StartupError });
  t.is(err?.code, 'E_CONFIG');
  t.false(err!.message.includes('\n'), `one line: ${err?.message}`);
  for (const part of parts) t.true(err!.message.includes(part), `"${err?.message}" should mention ${part}`);
  return err!.message;
}

test('defaults fill every value and derive paths from the working directory', (t) => {
  const cwd = tempCwd(t);
  const c = loadConfig({ cwd, env: { RUCHE_SECRET: SECRET } });
  t.is(c.host, '127.0.0.1');
  t.is(c.port, 3000);
  t.is(c.dataDir, path.join(cwd, 'data'));
  t.is(c.databaseUrl, `sqlite:${path.join(cwd, 'data', 'ruche.sqlite')}`);
  t.is(c.siteUrl, 'http://localhost:3000');
  t.is(c.log.level, 'info');
  t.false(c.log.pretty);
  t.false(c.trustProxy);
  t.is(c.session.cookieName, 'ruche_sid');
  t.deepEqual(c.limits, { jsonBody: '1mb', formBody: '1mb', uploadBody: '10mb' });
  t.deepEqual(c.plugins.dirs, []);
  t.is(c.configFile, undefined);
  t.is(c.secret, SECRET);
});

test('the config file overrides defaults; the environment overrides the file; overrides win', (t) => {
  const cwd = tempCwd(t, {
    secret: SECRET,
    port: 4000,
    host: '0.0.0.0',
    dataDir: 'filedata',
    log: { level: 'warn' },
    siteUrl: 'https://ruche.example.org/',
  });
  const fromFile = loadConfig({ cwd, env: {} });
  t.is(fromFile.port, 4000);
  t.is(fromFile.host, '0.0.0.0');
  t.is(fromFile.dataDir, path.join(cwd, 'filedata'));
  t.is(fromFile.log.level, 'warn');
  t.is(fromFile.siteUrl, 'https://ruche.example.org', 'trailing slash removed');
  t.is(fromFile.configFile, path.join(cwd, 'config', 'local.json'));

  const env = {
    PORT: '5050',
    HOST: '::',
    RUCHE_DATA_DIR: '/srv/ruche-data',
    RUCHE_DATABASE_URL: 'postgres://u:p@db:5432/ruche',
    RUCHE_LOG__LEVEL: 'debug',
    RUCHE_UNRELATED: 'ignored',
    RUCHE_TRUST_PROXY: 'true',
  };
  const fromEnv = loadConfig({ cwd, env });
  t.is(fromEnv.port, 5050);
  t.is(fromEnv.host, '::');
  t.is(fromEnv.dataDir, '/srv/ruche-data');
  t.is(fromEnv.databaseUrl, 'postgres://u:p@db:5432/ruche');
  t.is(fromEnv.log.level, 'debug');
  t.false(fromEnv.log.pretty, 'nested defaults are kept when one nested key is set');
  t.true(fromEnv.trustProxy);

  const overridden = loadConfig({ cwd, env, overrides: { port: 6060, log: { level: 'error' } } });
  t.is(overridden.port, 6060);
  t.is(overridden.log.level, 'error');
  t.is(overridden.dataDir, '/srv/ruche-data');
});

test('without a database URL, SQLite lives in the data dir (env RUCHE_DATA_DIR moves it)', (t) => {
  const cwd = tempCwd(t);
  const c = loadConfig({ cwd, env: { RUCHE_SECRET: SECRET, RUCHE_DATA_DIR: 'var/ruche' } });
  t.is(c.databaseUrl, `sqlite:${path.join(cwd, 'var', 'ruche', 'ruche.sqlite')}`);
  const rel = loadConfig({ cwd, env: { RUCHE_SECRET: SECRET, RUCHE_DATABASE_URL: 'sqlite:db/x.sqlite' } });
  t.is(rel.databaseUrl, `sqlite:${path.join(cwd, 'db', 'x.sqlite')}`, 'relative SQLite paths resolve from the working directory');
});

test('an explicit RUCHE_CONFIG file is read, and must exist', (t) => {
  const cwd = tempCwd(t);
  const file = path.join(cwd, 'elsewhere.json');
  fs.writeFileSync(file, JSON.stringify({ secret: SECRET, port: 7070 }));
  t.is(loadConfig({ cwd, env: { RUCHE_CONFIG: 'elsewhere.json' } }).port, 7070);
  refused(t, () => loadConfig({ cwd, env: { RUCHE_CONFIG: 'missing.json' } }), 'missing.json', 'does not exist');
});

test('invalid values give one line naming the key', (t) => {
  const cwd = tempCwd(t);
  const env = (extra: Record<string, string>) => ({ RUCHE_SECRET: SECRET, ...extra });
  refused(t, () => loadConfig({ cwd, env: env({ PORT: 'abc' }) }), 'invalid configuration', 'port:');
  refused(t, () => loadConfig({ cwd, env: env({ PORT: '70000' }) }), 'port:');
  refused(t, () => loadConfig({ cwd, env: env({ RUCHE_LOG__LEVEL: 'loud' }) }), 'log.level:');
  refused(t, () => loadConfig({ cwd, env: env({ RUCHE_DATABASE_URL: 'mysql://x' }) }), 'databaseUrl:', 'sqlite:');
  refused(t, () => loadConfig({ cwd, env: env({ RUCHE_LIMITS__JSON_BODY: 'huge' }) }), 'limits.jsonBody:');
  refused(t, () => loadConfig({ cwd, env: { RUCHE_SECRET: 'short' } }), 'secret:', '32');
  refused(t, () => loadConfig({ cwd, env: {} }), 'secret:', 'missing');
});

test('compression is on by default; the file or RUCHE_COMPRESSION__ENABLED=false turns it off behind a compressing proxy', (t) => {
  t.deepEqual(loadConfig({ cwd: tempCwd(t), env: { RUCHE_SECRET: SECRET } }).compression, { enabled: true, threshold: 1024 });
  const fromEnv = loadConfig({ cwd: tempCwd(t), env: { RUCHE_SECRET: SECRET, RUCHE_COMPRESSION__ENABLED: 'false' } });
  t.false(fromEnv.compression.enabled);
  const fromFile = loadConfig({ cwd: tempCwd(t, { secret: SECRET, compression: { enabled: false, threshold: 0 } }), env: {} });
  t.deepEqual(fromFile.compression, { enabled: false, threshold: 0 });
  refused(t, () => loadConfig({ cwd: tempCwd(t), env: { RUCHE_SECRET: SECRET, RUCHE_COMPRESSION__THRESHOLD: '-1' } }), 'compression.threshold:');
  refused(t, () => loadConfig({ cwd: tempCwd(t, { secret: SECRET, compression: { level: 9 } }), env: {} }), 'level');
});

test('on/off settings read true/false and "true"/"false"/"1"/"0" from any source; other values are refused by name', (t) => {
  const file = (value: unknown) => loadConfig({ cwd: tempCwd(t, { secret: SECRET, trustProxy: value, compression: { enabled: value } }), env: {} });
  for (const [value, expected] of [
    [true, true],
    [false, false],
    ['true', true],
    ['false', false],
    ['1', true],
    ['0', false],
  ] as const) {
    const c = file(value);
    t.is(c.trustProxy, expected, `trustProxy ${JSON.stringify(value)}`);
    t.is(c.compression.enabled, expected, `compression.enabled ${JSON.stringify(value)}`);
  }
  t.false(loadConfig({ cwd: tempCwd(t), env: { RUCHE_SECRET: SECRET, RUCHE_TRUST_PROXY: '0' } }).trustProxy);
  t.true(loadConfig({ cwd: tempCwd(t), env: { RUCHE_SECRET: SECRET, RUCHE_TRUST_PROXY: '1' } }).trustProxy);
  for (const bad of ['yes', 'off', 2, ''])
    refused(t, () => loadConfig({ cwd: tempCwd(t, { secret: SECRET, trustProxy: bad }), env: {} }), 'trustProxy:', 'true or false');
  refused(t, () => loadConfig({ cwd: tempCwd(t), env: { RUCHE_SECRET: SECRET, RUCHE_MAIL__SMTP__SECURE: 'no' } }), 'true or false');
});

test('memory.heapGrowthPercent is 30 by default, set by RUCHE_MEMORY__HEAP_GROWTH_PERCENT or the file, 0 to 400', (t) => {
  t.deepEqual(loadConfig({ cwd: tempCwd(t), env: { RUCHE_SECRET: SECRET } }).memory, { heapGrowthPercent: 30 });
  t.is(loadConfig({ cwd: tempCwd(t), env: { RUCHE_SECRET: SECRET, RUCHE_MEMORY__HEAP_GROWTH_PERCENT: '0' } }).memory.heapGrowthPercent, 0);
  t.is(loadConfig({ cwd: tempCwd(t, { secret: SECRET, memory: { heapGrowthPercent: 100 } }), env: {} }).memory.heapGrowthPercent, 100);
  refused(
    t,
    () => loadConfig({ cwd: tempCwd(t), env: { RUCHE_SECRET: SECRET, RUCHE_MEMORY__HEAP_GROWTH_PERCENT: '-5' } }),
    'memory.heapGrowthPercent:',
  );
  refused(
    t,
    () => loadConfig({ cwd: tempCwd(t), env: { RUCHE_SECRET: SECRET, RUCHE_MEMORY__HEAP_GROWTH_PERCENT: 'lots' } }),
    'memory.heapGrowthPercent:',
  );
});

test('a config file that is not JSON, or not an object, is refused naming the file', (t) => {
  const bad = tempCwd(t, '{ "port": 3000, }');
  refused(t, () => loadConfig({ cwd: bad, env: {} }), path.join(bad, 'config', 'local.json'), 'not valid JSON');
  const array = tempCwd(t, '[1, 2]');
  refused(t, () => loadConfig({ cwd: array, env: {} }), 'must hold a JSON object');
});

test('unknown keys are refused by name, at the top level and nested, with the file named', (t) => {
  const top = tempCwd(t, { secret: SECRET, colour: 'blue' });
  refused(t, () => loadConfig({ cwd: top, env: {} }), 'colour', path.join('config', 'local.json'));
  const nested = tempCwd(t, { secret: SECRET, log: { level: 'info', colour: 'blue' } });
  refused(t, () => loadConfig({ cwd: nested, env: {} }), 'log', 'colour');
});

test('proxyHops (issue 16 case 6): default 1, RUCHE_PROXY_HOPS overrides it, 0 or a word is refused naming the key', (t) => {
  const cwd = tempCwd(t, { proxyHops: 3 });
  t.is(loadConfig({ cwd: tempCwd(t), env: { RUCHE_SECRET: SECRET } }).proxyHops, 1);
  t.is(loadConfig({ cwd, env: { RUCHE_SECRET: SECRET } }).proxyHops, 3, 'from the file');
  t.is(loadConfig({ cwd, env: { RUCHE_SECRET: SECRET, RUCHE_PROXY_HOPS: '2' } }).proxyHops, 2, 'the environment wins');
  refused(t, () => loadConfig({ cwd, env: { RUCHE_SECRET: SECRET, RUCHE_PROXY_HOPS: '0' } }), 'proxyHops:');
  refused(t, () => loadConfig({ cwd, env: { RUCHE_SECRET: SECRET, RUCHE_PROXY_HOPS: 'many' } }), 'proxyHops:');
});

test('mail.smtp holds the SMTP server keys only: allowedHosts there is refused as unknown (it is a top-level key)', (t) => {
  const cwd = tempCwd(t, { secret: SECRET, mail: { transport: 'smtp', smtp: { host: 'smtp.example.com', allowedHosts: ['*'] } } });
  refused(t, () => loadConfig({ cwd, env: {} }), 'mail', 'allowedHosts');
  t.is(loadConfig({ cwd: tempCwd(t, { secret: SECRET, mail: { smtp: { host: 'smtp.example.com' } } }), env: {} }).mail.smtp.host, 'smtp.example.com');
});
