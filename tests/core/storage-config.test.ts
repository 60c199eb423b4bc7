/** The `storage` configuration: the local default, the S3 driver's keys from a file or the environment, one-line errors. */
import test, { type ExecutionContext } from 'ava';
import { createStorage, loadConfig, StartupError, type ConfigInput, type RucheConfig } from '../../core';

const SECRET = 's'.repeat(40);
const load = (overrides: ConfigInput, env: NodeJS.ProcessEnv = {}): RucheConfig =>
  loadConfig({ cwd: '/tmp', env: { RUCHE_SECRET: SECRET, ...env }, overrides });

function refused(t: ExecutionContext, fn: () => unknown, ...parts: string[]): void {
  const err = t.throws(fn, { instanceOf: StartupError });
  t.is(err?.code, 'E_CONFIG');
  t.false(err!.message.includes('\n'));
  for (const part of parts) t.true(err!.message.includes(part), `"${err?.message}" should mention ${part}`);
}

test('the local folder is the default store', (t) => {
  const c = load({ dataDir: '/srv/ruche' });
  t.deepEqual(c.storage, { driver: 'local' });
  const store = createStorage(c);
  t.is(store.driver, 'local');
  t.is(store.location, '/srv/ruche/uploads');
});

test('the S3 driver takes its bucket from the file and its keys from the environment', (t) => {
  const c = load(
    { storage: { driver: 's3', s3: { bucket: 'ruche-files', endpoint: 'https://s3.example.net', forcePathStyle: true, prefix: 'lyon/' } } },
    { RUCHE_STORAGE__S3__ACCESS_KEY_ID: 'AKIAEXAMPLE', RUCHE_STORAGE__S3__SECRET_ACCESS_KEY: 'very-secret-key' },
  );
  t.deepEqual(c.storage.s3, {
    bucket: 'ruche-files',
    endpoint: 'https://s3.example.net',
    region: 'us-east-1',
    accessKeyId: 'AKIAEXAMPLE',
    secretAccessKey: 'very-secret-key',
    forcePathStyle: true,
    prefix: 'lyon/',
  });
  const store = createStorage(c);
  t.is(store.driver, 's3');
  t.is(store.location, 's3://ruche-files/lyon/ at https://s3.example.net');
  t.false(store.location.includes('very-secret-key'), 'the location never shows the secret');
  store.close?.();
});

test('S3 settings are checked, each problem named on one line', (t) => {
  refused(t, () => load({ storage: { driver: 's3' } }), 'storage.s3', 'bucket');
  refused(t, () => load({ storage: { driver: 's3', s3: {} as never } }), 'storage.s3.bucket');
  refused(t, () => load({ storage: { driver: 's3', s3: { bucket: 'Bad_Bucket' } } }), 'storage.s3.bucket', 'bucket name');
  refused(t, () => load({ storage: { driver: 's3', s3: { bucket: 'files', endpoint: 'ftp://x' } } }), 'storage.s3.endpoint', 'http');
  refused(t, () => load({ storage: { driver: 's3', s3: { bucket: 'files', accessKeyId: 'AKIA' } } }), 'storage.s3', 'secretAccessKey');
  refused(t, () => load({ storage: { driver: 's3', s3: { bucket: 'files', prefix: '../up' } } }), 'storage.s3.prefix');
  refused(t, () => load({ storage: { driver: 'ftp' as never } }), 'storage.driver');
  refused(t, () => load({}, { RUCHE_STORAGE__DRIVER: 'azure' }), 'storage.driver');
  refused(t, () => load({ storage: { driver: 'local', folder: '/x' } as never }), 'storage', 'folder');
});
