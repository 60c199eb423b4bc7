/**
 * `ruche doctor`'s look at the file store: a probe file written, read back, found by `list`
 * and deleted, with the usual causes of an S3 failure said in words (bucket, keys, address).
 */
import { randomBytes } from 'node:crypto';
import type { Storage } from '../../core';

const PROBE_PREFIX = 'ruche-doctor/';

export async function probeStorage(storage: Storage): Promise<void> {
  const key = `${PROBE_PREFIX}probe-${process.pid}-${randomBytes(4).toString('hex')}.txt`;
  const text = `ruche doctor ${new Date().toISOString()}`;
  try {
    await storage.put(key, Buffer.from(text), 'text/plain');
    const back = await storage.get(key);
    if (back?.data.toString() !== text) throw new Error('the probe file read back differs from what was written');
    let listed = false;
    for await (const entry of storage.list(PROBE_PREFIX)) listed ||= entry.key === key;
    if (!listed) throw new Error('the probe file was written but listing the store does not show it');
    await storage.delete(key);
    if (await storage.head(key)) throw new Error('the probe file is still there after being deleted');
  } catch (e) {
    await storage.delete(key).catch(() => undefined);
    throw new Error(explain(e), { cause: e });
  }
}

/** The store's error in words, with what to check. */
function explain(e: unknown): string {
  const err = e as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  const name = err.name ?? '';
  const code = err.code ?? (e as { cause?: { code?: string } }).cause?.code ?? '';
  if (name === 'NoSuchBucket') return 'the bucket does not exist: create it, or check storage.s3.bucket';
  if (['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidToken', 'ExpiredToken'].includes(name)) {
    return `the store refused the keys (${name}): check storage.s3.accessKeyId and secretAccessKey (RUCHE_STORAGE__S3__ACCESS_KEY_ID, RUCHE_STORAGE__S3__SECRET_ACCESS_KEY)`;
  }
  if (name === 'AccessDenied' || status === 403) {
    return 'access denied: the keys may not read, write, list and delete in this bucket (give them those rights on it)';
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH'].includes(code) || name === 'TimeoutError') {
    return `cannot reach the store (${code || name}): check storage.s3.endpoint and the network`;
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `cannot write the folder (${code}): give the user running Ruche write access`;
  return err.message || String(e);
}
