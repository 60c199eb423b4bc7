/** The storage interface, the same suite on every driver (local folder, S3 on s3rver). */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import test from 'ava';
import { createStorage, loadConfig, StorageKeyError, StorageRangeError, StorageTooLargeError, type ConfigInput, type Storage } from '../../core';
import { bytesUnder, eachStorage, freshStorage } from '../helpers/storages';

const testConfigOf = (overrides: ConfigInput) => loadConfig({ cwd: '/tmp', env: { RUCHE_SECRET: 's'.repeat(40) }, overrides });

const MiB = 1024 * 1024;

async function text(storage: Storage, key: string, range?: { start: number; end: number }): Promise<string | undefined> {
  const found = await storage.stream(key, range);
  if (!found) return undefined;
  const parts: Buffer[] = [];
  for await (const chunk of found.body) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString();
}

async function keys(storage: Storage, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of storage.list(prefix)) out.push(e.key);
  return out.sort();
}

/** `count` chunks of 1 MiB, made one at a time as they are read; `onChunk` sees each index first. */
async function* megabytes(count: number, onChunk: (i: number) => Promise<void> = async () => undefined): AsyncGenerator<Buffer> {
  for (let i = 0; i < count; i++) {
    await onChunk(i);
    yield Buffer.alloc(MiB, i % 251);
  }
}

eachStorage('put, get, head, stream and delete a file', async (t, { storage }) => {
  const stored = await storage.put('docs/12/minutes.txt', Buffer.from('Minutes of the meeting'), 'text/plain');
  t.is(stored.size, 22);
  const file = await storage.get('docs/12/minutes.txt');
  t.is(file?.data.toString(), 'Minutes of the meeting');
  t.is(file?.contentType, 'text/plain');
  t.is(file?.size, 22);
  const head = await storage.head('docs/12/minutes.txt');
  t.is(head?.size, 22);
  t.is(head?.contentType, 'text/plain');
  t.true(head!.modified instanceof Date && Math.abs(head!.modified.getTime() - Date.now()) < 60_000);
  t.is(await text(storage, 'docs/12/minutes.txt'), 'Minutes of the meeting');
  t.is(await text(storage, 'docs/12/minutes.txt', { start: 15, end: 21 }), 'meeting');
  const ranged = await storage.stream('docs/12/minutes.txt', { start: 0, end: 6 });
  t.deepEqual(ranged?.range, { start: 0, end: 6 });
  t.is(ranged?.size, 22, 'the size is the whole file even for a range');
  ranged?.body.destroy();

  await storage.put('docs/12/minutes.txt', Readable.from([Buffer.from('New '), Buffer.from('minutes')]), 'text/markdown');
  t.is((await storage.get('docs/12/minutes.txt'))?.data.toString(), 'New minutes', 'a stream replaces the file');
  t.is((await storage.head('docs/12/minutes.txt'))?.contentType, 'text/markdown');

  await storage.put('empty.bin', Buffer.alloc(0), '');
  t.like(await storage.head('empty.bin'), { size: 0, contentType: 'application/octet-stream' });

  await storage.delete('docs/12/minutes.txt');
  t.is(await storage.get('docs/12/minutes.txt'), undefined);
  t.deepEqual(await keys(storage, 'docs/'), []);
});

eachStorage('missing keys read as nothing; deleting one is no error', async (t, { storage }) => {
  t.is(await storage.get('nothing/here.jpg'), undefined);
  t.is(await storage.head('nothing/here.jpg'), undefined);
  t.is(await storage.stream('nothing/here.jpg'), undefined);
  t.is(await storage.stream('nothing/here.jpg', { start: 0, end: 3 }), undefined);
  await t.notThrowsAsync(storage.delete('nothing/here.jpg'));
  await storage.put('nothing/there.jpg', Buffer.from('x'), 'image/jpeg');
  t.is(await storage.get('nothing'), undefined, 'a folder is not a file');
});

eachStorage('invalid keys and prefixes are refused by every method', async (t, { storage }) => {
  const bad = ['', '../etc/passwd', '/abs', 'a//b', 'a/../b', 'a/./b', 'a/', 'with space', 'x.type', 'é', 'a\\b', '.hidden', 'a~b'];
  for (const key of bad) {
    await t.throwsAsync(storage.put(key, Buffer.from('x'), 'text/plain'), { instanceOf: StorageKeyError }, `put ${key}`);
    await t.throwsAsync(storage.get(key), { instanceOf: StorageKeyError }, `get ${key}`);
    await t.throwsAsync(storage.head(key), { instanceOf: StorageKeyError }, `head ${key}`);
    await t.throwsAsync(storage.stream(key), { instanceOf: StorageKeyError }, `stream ${key}`);
    await t.throwsAsync(storage.delete(key), { instanceOf: StorageKeyError }, `delete ${key}`);
  }
  for (const prefix of ['../', '/a', 'a//', 'a/../', 'a b'])
    await t.throwsAsync(keys(storage, prefix), { instanceOf: StorageKeyError }, `list ${prefix}`);
});

eachStorage('ranges outside the file are refused', async (t, { storage }) => {
  await storage.put('r/ten.bin', Buffer.from('0123456789'), 'application/octet-stream');
  t.is(await text(storage, 'r/ten.bin', { start: 9, end: 9 }), '9');
  t.is(await text(storage, 'r/ten.bin', { start: 0, end: 9 }), '0123456789');
  for (const range of [
    { start: 10, end: 10 },
    { start: 5, end: 10 },
    { start: 4, end: 3 },
    { start: -1, end: 2 },
  ]) {
    await t.throwsAsync(storage.stream('r/ten.bin', range), { instanceOf: StorageRangeError }, JSON.stringify(range));
  }
});

eachStorage('list by prefix finds every file under it, and only files', async (t, { storage }) => {
  for (const key of ['a/1.txt', 'a/2.txt', 'a/b/3.txt', 'ab/4.txt', 'b/5.txt']) await storage.put(key, Buffer.from(key), 'text/plain');
  t.deepEqual(await keys(storage, 'a/'), ['a/1.txt', 'a/2.txt', 'a/b/3.txt']);
  t.deepEqual(await keys(storage, 'a'), ['a/1.txt', 'a/2.txt', 'a/b/3.txt', 'ab/4.txt']);
  t.deepEqual(await keys(storage, 'a/b'), ['a/b/3.txt']);
  t.deepEqual(await keys(storage, ''), ['a/1.txt', 'a/2.txt', 'a/b/3.txt', 'ab/4.txt', 'b/5.txt'], 'no content-type or temporary files');
  t.deepEqual(await keys(storage, 'zz/'), []);
  const sizes: number[] = [];
  for await (const e of storage.list('b/')) sizes.push(e.size);
  t.deepEqual(sizes, [7]);
});

eachStorage('a large file is streamed in and out without being held whole', async (t, store) => {
  const { storage } = store;
  const before = await bytesUnder(store.dir);
  let writtenAt30 = 0;
  const hash = createHash('sha256');
  const source = megabytes(40, async (i) => {
    if (i === 30) writtenAt30 = (await bytesUnder(store.dir)) - before;
  });
  const hashing = (async function* () {
    for await (const chunk of source) {
      hash.update(chunk);
      yield chunk;
    }
  })();
  const stored = await storage.put('big/video.mp4', Readable.from(hashing), 'video/mp4');
  t.is(stored.size, 40 * MiB);
  t.true(writtenAt30 >= 16 * MiB, `bytes reach the store while the upload goes on (${writtenAt30} bytes written after 30 MiB read)`);
  t.is((await storage.head('big/video.mp4'))?.size, 40 * MiB);
  const back = await storage.stream('big/video.mp4');
  const check = createHash('sha256');
  let biggest = 0;
  for await (const chunk of back!.body) {
    check.update(chunk as Buffer);
    biggest = Math.max(biggest, (chunk as Buffer).length);
  }
  t.is(check.digest('hex'), hash.digest('hex'));
  t.true(biggest <= 8 * MiB, `read back in chunks (${biggest} bytes at most)`);
  const tail = await text(storage, 'big/video.mp4', { start: 40 * MiB - 3, end: 40 * MiB - 1 });
  t.deepEqual(Buffer.from(tail!), Buffer.alloc(3, 39));
});

eachStorage('a file over maxBytes is refused and nothing is stored; the file there before stays', async (t, { storage }) => {
  await storage.put('q/report.pdf', Buffer.from('old report'), 'application/pdf');
  await t.throwsAsync(storage.put('q/report.pdf', Readable.from(megabytes(12)), 'application/pdf', { maxBytes: 10 * MiB }), {
    instanceOf: StorageTooLargeError,
  });
  await t.throwsAsync(storage.put('q/small.pdf', Buffer.alloc(2000), 'application/pdf', { maxBytes: 1000 }), { instanceOf: StorageTooLargeError });
  t.is((await storage.get('q/report.pdf'))?.data.toString(), 'old report');
  t.is(await storage.head('q/small.pdf'), undefined);
  t.deepEqual(await keys(storage, 'q/'), ['q/report.pdf']);
  await storage.put('q/exact.bin', Buffer.alloc(1000), 'application/octet-stream', { maxBytes: 1000 });
  t.is((await storage.head('q/exact.bin'))?.size, 1000);
});

eachStorage('concurrent puts of one key leave one whole file with its own type', async (t, { storage }) => {
  const writers = Array.from({ length: 8 }, (_, i) =>
    storage.put('same/key.bin', Readable.from(Array.from({ length: 4 }, () => Buffer.alloc(64 * 1024, i + 1))), `application/x-writer-${i + 1}`),
  );
  await Promise.all(writers);
  const file = await storage.get('same/key.bin');
  t.is(file?.size, 256 * 1024);
  const first = file!.data[0];
  t.true(first >= 1 && first <= 8);
  t.true(
    file!.data.every((b) => b === first),
    'the bytes of one writer only',
  );
  t.is(file?.contentType, `application/x-writer-${first}`, 'the type of that same writer');
  t.deepEqual(await keys(storage, 'same/'), ['same/key.bin']);
});

test('an S3 prefix keeps an installation under its folder of a shared bucket', async (t) => {
  const store = await freshStorage('s3', { prefix: 'lyon/' });
  t.teardown(() => store.drop());
  const s3 = (store.config.storage as { s3: { bucket: string } }).s3;
  const whole = createStorage(testConfigOf({ storage: { driver: 's3', s3: { ...s3, prefix: '' } } }));
  t.teardown(() => whole.close?.());
  await store.storage.put('a/1.txt', Buffer.from('one'), 'text/plain');
  await whole.put('other/2.txt', Buffer.from('two'), 'text/plain');
  t.deepEqual(await keys(store.storage, ''), ['a/1.txt'], 'keys come back without the prefix; other folders unseen');
  t.deepEqual(await keys(whole, ''), ['lyon/a/1.txt', 'other/2.txt']);
  t.is((await whole.get('lyon/a/1.txt'))?.data.toString(), 'one');
  t.is(await store.storage.get('other/2.txt'), undefined);
  await store.storage.delete('a/1.txt');
  t.deepEqual(await keys(whole, ''), ['other/2.txt']);
});
