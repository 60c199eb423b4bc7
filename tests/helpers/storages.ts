/**
 * Test stores, for each storage driver: the local folder, and an S3 bucket on a real
 * S3-compatible server (s3rver) started on 127.0.0.1, on a free port, over a temp folder.
 *
 *   eachStorage('a file is stored', async (t, store) => { await store.storage.put(...) });
 *   eachDatabaseAndStorage('downloads', async (t, db, store) => {
 *     const app = await makeApp(db, { config: store.config });   // the app uses that store
 *   });
 *   export const eachFilesApp = eachStorageAppOf((db, config) => filesApp(db, { config }));
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { createStorage, type ConfigInput, type Storage } from '../../core';
import { databaseKinds, freshDatabase, type TestDatabase } from './databases';
import type { Closable, EachApp } from './each-app';

export type StorageKind = 'local' | 's3';

export interface TestStorage {
  kind: StorageKind;
  /** A store on the test's files (a fresh instance; an app made with `config` has its own on the same files). */
  storage: Storage;
  /** The `storage` configuration that points an app at the same files. */
  config: ConfigInput;
  /** The folder holding the bytes (the local root, or the S3 server's folder). */
  dir: string;
}

export interface FreshStorage extends TestStorage {
  /** Stops the S3 server and removes the files. Idempotent: a test may call it to see the store gone. */
  drop(): Promise<void>;
}

/** Every driver: each is always tested (s3rver is a dev dependency, nothing to set up). */
export const storageKinds = (): StorageKind[] => ['local', 's3'];

interface S3rverLike {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
// s3rver ships no type declarations: the little used here is typed locally.
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => S3rverLike;

/** S3rver's fixed credentials. */
const S3RVER_KEY = 'S3RVER';

/**
 * An empty store of the given kind. Local: `<dataDir>/uploads` (the folder an app on `dataDir`
 * uses) or a temp folder. S3: a new s3rver with one empty bucket; `prefix` puts keys under a folder.
 */
export async function freshStorage(kind: StorageKind, options: { dataDir?: string; prefix?: string } = {}): Promise<FreshStorage> {
  if (kind === 'local') {
    const own = options.dataDir ? undefined : await fs.mkdtemp(path.join(os.tmpdir(), 'ruche-store-'));
    const dataDir = options.dataDir ?? (own as string);
    const config: ConfigInput = { storage: { driver: 'local' } };
    const storage = createStorage({ dataDir, storage: { driver: 'local' } });
    const drop = once(async () => {
      if (own) await fs.rm(own, { recursive: true, force: true });
    });
    return { kind, storage, config, dir: path.join(dataDir, 'uploads'), drop };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ruche-s3-'));
  const bucket = `ruche-${randomBytes(4).toString('hex')}`;
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory: dir, silent: true, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const s3 = {
    bucket,
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    accessKeyId: S3RVER_KEY,
    secretAccessKey: S3RVER_KEY,
    forcePathStyle: true,
    prefix: options.prefix ?? '',
  };
  const storage = createStorage({ dataDir: dir, storage: { driver: 's3', s3 } });
  const drop = once(async () => {
    storage.close?.();
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
  return { kind, storage, config: { storage: { driver: 's3', s3 } }, dir, drop };
}

/** Registers one ava test per driver, titled `${title} [${kind}]`, on a fresh store dropped afterwards. */
export function eachStorage(title: string, fn: (t: ExecutionContext, store: TestStorage) => Promise<void>): void {
  for (const kind of storageKinds()) {
    test(`${title} [${kind}]`, async (t) => {
      const store = await freshStorage(kind);
      try {
        await fn(t, store);
      } finally {
        await store.drop();
      }
    });
  }
}

/**
 * One test per database and driver, `${title} [${db}, ${driver}]`: a fresh database and a fresh
 * store (the local one in the database's data folder, where an app on it looks); pass
 * `store.config` to makeApp so the app uses the store.
 */
export function eachDatabaseAndStorage(title: string, fn: (t: ExecutionContext, db: TestDatabase, store: FreshStorage) => Promise<void>): void {
  for (const dbKind of databaseKinds()) {
    for (const kind of storageKinds()) {
      test(`${title} [${dbKind}, ${kind}]`, async (t) => {
        const db = await freshDatabase(dbKind);
        try {
          const store = await freshStorage(kind, { dataDir: db.dataDir });
          try {
            await fn(t, { kind: db.kind, url: db.url, dataDir: db.dataDir }, store);
          } finally {
            await store.drop();
          }
        } finally {
          await db.drop();
        }
      });
    }
  }
}

/**
 * `eachAppOf` on every database and driver: `build` makes the app on the fresh database with
 * the store's config (`filesApp(db, { config })`); the app is closed afterwards, even when `fn` fails.
 *
 *   export const eachFilesApp = eachStorageAppOf((db, config) => filesApp(db, { config }));
 */
export function eachStorageAppOf<A extends Closable>(build: (db: TestDatabase, config: ConfigInput) => Promise<A>): EachApp<A> {
  return (title, fn) =>
    eachDatabaseAndStorage(title, async (t, db, store) => {
      const app = await build(db, store.config);
      try {
        await fn(t, app, db);
      } finally {
        await app.close();
      }
    });
}

/** Bytes of every file under a folder (what a store has written to disk so far). */
export async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}
