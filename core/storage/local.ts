/**
 * The local driver: files under `<dataDir>/uploads/`, one file per key, with a `<file>.type`
 * file beside it holding the content type. Writes go to a temporary file renamed into place,
 * so a reader sees the old file or the new one, never a part of either.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  checkKey,
  checkPrefix,
  checkRange,
  chunksOf,
  contentTypeOr,
  TYPE_SUFFIX,
  type ByteRange,
  type PutOptions,
  type Storage,
  type StorageBody,
  type StoredEntry,
  type StoredFile,
  type StoredHead,
  type StoredStream,
} from './store';

/** Temporary files carry `~`, which no key may hold: they never collide with a key nor show in `list`. */
const TEMP_MARK = '.~';

export class LocalStorage implements Storage {
  readonly driver = 'local';
  /** Renames of one key in this process, one after the other, so a file and its type file stay a pair. */
  private readonly renaming = new Map<string, Promise<void>>();

  constructor(private readonly root: string) {}

  get location(): string {
    return this.root;
  }

  async put(key: string, body: StorageBody, contentType: string, options: PutOptions = {}): Promise<StoredHead> {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}${TEMP_MARK}${randomBytes(6).toString('hex')}`;
    const typeTemp = `${temp}${TYPE_SUFFIX}`;
    try {
      await pipeline(Readable.from(chunksOf(body, options.maxBytes)), createWriteStream(temp, { flags: 'wx' }));
      await fs.writeFile(typeTemp, contentTypeOr(contentType));
      await this.inTurn(file, async () => {
        await fs.rename(typeTemp, `${file}${TYPE_SUFFIX}`);
        await fs.rename(temp, file);
      });
    } catch (e) {
      await Promise.all([fs.rm(temp, { force: true }), fs.rm(typeTemp, { force: true })]);
      throw e;
    }
    return (await this.head(key)) as StoredHead;
  }

  async get(key: string): Promise<StoredFile | undefined> {
    const file = this.file(key);
    const handle = await openOrUndefined(file);
    if (!handle) return undefined;
    try {
      const [data, stat, contentType] = await Promise.all([handle.readFile(), handle.stat(), this.typeOf(file)]);
      return { data, size: data.length, contentType, modified: stat.mtime };
    } finally {
      await handle.close();
    }
  }

  async head(key: string): Promise<StoredHead | undefined> {
    const file = this.file(key);
    const stat = await fs.stat(file).catch(missingAsUndefined);
    if (!stat?.isFile()) return undefined;
    return { size: stat.size, contentType: await this.typeOf(file), modified: stat.mtime };
  }

  async stream(key: string, range?: ByteRange): Promise<StoredStream | undefined> {
    const file = this.file(key);
    const handle = await openOrUndefined(file);
    if (!handle) return undefined;
    try {
      const [stat, contentType] = await Promise.all([handle.stat(), this.typeOf(file)]);
      if (range) checkRange(range, stat.size);
      const body = handle.createReadStream(range ? { start: range.start, end: range.end } : {});
      return { body, size: stat.size, contentType, modified: stat.mtime, ...(range ? { range } : {}) };
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.file(key);
    await this.inTurn(file, async () => {
      await Promise.all([fs.rm(file, { force: true }), fs.rm(`${file}${TYPE_SUFFIX}`, { force: true })]);
    });
  }

  async *list(prefix: string): AsyncIterable<StoredEntry> {
    checkPrefix(prefix);
    const cut = prefix.lastIndexOf('/');
    const dir = prefix.slice(0, cut + 1);
    yield* this.walk(dir, prefix);
  }

  private async *walk(dir: string, prefix: string): AsyncGenerator<StoredEntry> {
    const entries = await fs.readdir(path.join(this.root, ...dir.split('/').filter(Boolean)), { withFileTypes: true }).catch(missingAsUndefined);
    for (const entry of entries ?? []) {
      const key = dir + entry.name;
      if (entry.name.includes('~') || !(key.startsWith(prefix) || (entry.isDirectory() && prefix.startsWith(`${key}/`)))) continue;
      if (entry.isDirectory()) yield* this.walk(`${key}/`, prefix);
      else if (entry.isFile() && !entry.name.endsWith(TYPE_SUFFIX)) {
        const stat = await fs.stat(path.join(this.root, ...key.split('/'))).catch(missingAsUndefined);
        if (stat) yield { key, size: stat.size, modified: stat.mtime };
      }
    }
  }

  private file(key: string): string {
    return path.join(this.root, ...checkKey(key).split('/'));
  }

  private async typeOf(file: string): Promise<string> {
    return contentTypeOr(await fs.readFile(`${file}${TYPE_SUFFIX}`, 'utf8').catch(missingAsUndefined));
  }

  private async inTurn(file: string, fn: () => Promise<void>): Promise<void> {
    const before = this.renaming.get(file) ?? Promise.resolve();
    const mine = before.then(fn, fn);
    const settled = mine.catch(() => undefined);
    this.renaming.set(file, settled);
    try {
      await mine;
    } finally {
      if (this.renaming.get(file) === settled) this.renaming.delete(file);
    }
  }
}

async function openOrUndefined(file: string): Promise<fs.FileHandle | undefined> {
  const handle = await fs.open(file, 'r').catch(missingAsUndefined);
  if (!handle) return undefined;
  if ((await handle.stat()).isFile()) return handle;
  await handle.close();
  return undefined;
}

/** ENOENT / ENOTDIR mean "no such file"; anything else (permissions, a full disk) is a real error. */
function missingAsUndefined(e: NodeJS.ErrnoException): undefined {
  if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
  throw e;
}
