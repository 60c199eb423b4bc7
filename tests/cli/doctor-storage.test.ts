/** `ruche doctor` checks the file store: local folder and S3 bucket, with the cause of a failure said in words. */
import net from 'node:net';
import test from 'ava';
import { run } from './helpers';
import { installed, setLocalConfig } from './setup';
import { freshStorage } from '../helpers/storages';

const KEYS = { RUCHE_STORAGE__S3__ACCESS_KEY_ID: 'S3RVER', RUCHE_STORAGE__S3__SECRET_ACCESS_KEY: 'S3RVER' };

test('doctor writes, reads and deletes a probe file in the local folder', async (t) => {
  const i = await installed(t, 'sqlite');
  const r = await i.ruche('doctor');
  t.is(r.code, 0, r.stdout);
  t.regex(r.stdout, /^OK {3}file store \(local: data\/uploads: wrote, read, listed and deleted a probe file\)$/m);
});

test('doctor checks an S3 bucket, names it, and leaves nothing in it', async (t) => {
  const i = await installed(t, 'sqlite');
  const store = await freshStorage('s3');
  t.teardown(() => store.drop());
  const s3 = (store.config.storage as { s3: Record<string, unknown> }).s3;
  const { accessKeyId: _a, secretAccessKey: _s, ...withoutKeys } = s3;
  setLocalConfig(i, { storage: { driver: 's3', s3: withoutKeys } });
  const ok = await run(['doctor'], i.cwd, { ...i.env, ...KEYS });
  t.is(ok.code, 0, ok.stdout + ok.stderr);
  t.regex(
    ok.stdout,
    new RegExp(`^OK {3}file store \\(s3: s3://${s3.bucket}/ at ${s3.endpoint}: wrote, read, listed and deleted a probe file\\)$`, 'm'),
  );
  t.false(ok.stdout.includes('S3RVER'), 'keys are never printed');
  const left: string[] = [];
  for await (const e of store.storage.list('')) left.push(e.key);
  t.deepEqual(left, []);

  setLocalConfig(i, { storage: { driver: 's3', s3: { ...withoutKeys, bucket: 'no-such-bucket' } } });
  const noBucket = await run(['doctor'], i.cwd, { ...i.env, ...KEYS });
  t.is(noBucket.code, 1);
  t.regex(
    noBucket.stdout,
    /^FAIL file store: s3: s3:\/\/no-such-bucket\/ at .*: the bucket does not exist: create it, or check storage\.s3\.bucket$/m,
  );
  t.regex(noBucket.stdout, /^OK {3}database reachable/m, 'the other checks still run');

  setLocalConfig(i, { storage: { driver: 's3', s3: withoutKeys } });
  const badKeys = await run(['doctor'], i.cwd, { ...i.env, ...KEYS, RUCHE_STORAGE__S3__ACCESS_KEY_ID: 'WRONG' });
  t.is(badKeys.code, 1);
  t.regex(badKeys.stdout, /^FAIL file store: .*the store refused the keys \(InvalidAccessKeyId\): check storage\.s3\.accessKeyId/m);
  t.false(badKeys.stdout.includes('S3RVER'));
});

test('doctor says when the S3 store cannot be reached', async (t) => {
  const i = await installed(t, 'sqlite');
  const closed = await new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
  setLocalConfig(i, { storage: { driver: 's3', s3: { bucket: 'files', endpoint: `http://127.0.0.1:${closed}`, forcePathStyle: true } } });
  const r = await run(['doctor'], i.cwd, { ...i.env, ...KEYS });
  t.is(r.code, 1);
  t.regex(
    r.stdout,
    /^FAIL file store: s3: s3:\/\/files\/ at http:\/\/127\.0\.0\.1:\d+: cannot reach the store \(ECONNREFUSED\): check storage\.s3\.endpoint/m,
  );
});
