/**
 * Where uploaded files live, behind one interface so a shared volume or object store can
 * replace the local folder. Keys are opaque paths chosen by the code (never by users);
 * the content type is stored beside each file. `serve` answers a request with a file,
 * long-cached when the key is content-addressed, and never as active content: only
 * images and a few safe types are shown inline, everything else downloads.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type Koa from 'koa';
import { HttpError } from './errors';

export interface StoredFile {
  data: Buffer;
  contentType: string;
}

export interface Storage {
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<StoredFile | undefined>;
  delete(key: string): Promise<void>;
}

const KEY = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/i;
const INLINE = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'text/plain', 'application/pdf']);

/** Files under `<dataDir>/uploads/`, with a `.type` file holding each content type. */
export class LocalStorage implements Storage {
  constructor(private readonly root: string) {}

  async put(key: string, data: Buffer, contentType: string): Promise<void> {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(`${file}.tmp`, data);
    await fs.writeFile(`${file}.type`, contentType);
    await fs.rename(`${file}.tmp`, file);
  }

  async get(key: string): Promise<StoredFile | undefined> {
    const file = this.file(key);
    try {
      const [data, type] = await Promise.all([fs.readFile(file), fs.readFile(`${file}.type`, 'utf8')]);
      return { data, contentType: type.trim() || 'application/octet-stream' };
    } catch {
      return undefined;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.file(key);
    await Promise.all([fs.rm(file, { force: true }), fs.rm(`${file}.type`, { force: true })]);
  }

  private file(key: string): string {
    if (!KEY.test(key) || key.split('/').some((p) => p === '.' || p === '..')) throw new Error(`invalid storage key "${key}"`);
    return path.join(this.root, ...key.split('/'));
  }
}

/** Answers with a stored file (404 when missing). `immutable`: the key changes whenever the content does. */
export async function serveStored(
  ctx: Koa.Context,
  storage: Storage,
  key: string,
  options: { immutable?: boolean; filename?: string } = {},
): Promise<void> {
  const file = await storage.get(key).catch(() => undefined);
  if (!file) throw new HttpError(404);
  ctx.type = file.contentType;
  ctx.set('Cache-Control', options.immutable ? 'public, max-age=31536000, immutable' : 'private, max-age=300');
  ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
  if (!INLINE.has(file.contentType)) {
    const name = (options.filename ?? 'download').replace(/[^\w.-]+/g, '_').slice(0, 100);
    ctx.set('Content-Disposition', `attachment; filename="${name}"`);
  }
  ctx.body = file.data;
}
