/**
 * Where uploaded files live, behind one interface (store.ts) so an object store can replace
 * the local folder: `storage.driver` in the configuration picks the driver.
 */
import path from 'node:path';
import type { RucheConfig } from '../config';
import { LocalStorage } from './local';
import type { Storage } from './store';

/**
 * The store the configuration names: `<dataDir>/uploads/` by default, or an S3 bucket. The
 * S3 client (~400 ms to load) is loaded only when the S3 driver is chosen.
 */
export function createStorage(config: Pick<RucheConfig, 'dataDir' | 'storage'>): Storage {
  const s = config.storage;
  if (s.driver === 's3' && s.s3) {
    const { S3Storage } = require('./s3') as typeof import('./s3');
    return new S3Storage(s.s3);
  }
  return new LocalStorage(path.join(config.dataDir, 'uploads'));
}

export * from './store';
export { LocalStorage } from './local';
export type { S3Options, S3Storage } from './s3';
export { serveStored, parseRange, INLINE_TYPES, type ServeOptions } from './serve';
