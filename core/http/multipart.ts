/**
 * multipart/form-data (forms with files), parsed with busboy as it arrives. Fields land in
 * `ctx.request.body` like any form; files are streamed to temporary files on disk (never
 * held whole in memory) and listed by `uploadedFiles(ctx)`; the temporary files are removed
 * when the response is over. The whole body may not exceed `uploadBody`: a declared length
 * over it is refused with a 413 before a byte is read, and parsing stops with a 413 as soon
 * as the bytes received pass it. Handlers decide which types they accept (see `sniffImage`):
 * never trust the filename or the declared type alone.
 */
import { createReadStream, createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type Koa from 'koa';
import busboy from 'busboy';
import { HttpError } from '../errors';

/** How many first bytes of each file are kept in memory: enough to judge any type by its magic number. */
export const HEAD_BYTES = 4100;

export interface UploadedFile {
  field: string;
  filename: string;
  /** As declared by the browser; check the content itself before trusting it. */
  declaredType: string;
  /** In bytes, as received. */
  size: number;
  /** The temporary file holding the bytes, removed when the response is over. */
  path: string;
  /** The first bytes (at most HEAD_BYTES), to judge the type without reading the file. */
  head: Buffer;
  /** The whole file in memory: only for files known to be small (an image to re-encode). */
  read(): Promise<Buffer>;
  /** The bytes as a stream, e.g. for `storage.put`. */
  open(): Readable;
  /**
   * The whole file, read synchronously on first use (kept for plugins written before uploads
   * were streamed).
   * @deprecated Use `read()` or `open()`.
   */
  readonly data: Buffer;
}

const FILES = Symbol('ruche.uploadedFiles');

export function uploadedFiles(ctx: Koa.Context): UploadedFile[] {
  return (ctx as unknown as { [FILES]?: UploadedFile[] })[FILES] ?? [];
}

/** The declared length of a request body, or undefined when it is not declared (chunked). */
export function declaredLength(ctx: Koa.Context): number | undefined {
  const raw = ctx.get('content-length');
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** A temporary folder for one request's files, made on the first file and removed when the response is over. */
class Spool {
  private dir: Promise<string> | undefined;
  private count = 0;

  constructor(private readonly ctx: Koa.Context) {}

  async next(): Promise<string> {
    if (!this.dir) {
      this.dir = mkdtemp(join(tmpdir(), 'ruche-upload-'));
      const remove = (): void => void this.remove();
      this.ctx.res.once('close', remove);
    }
    return join(await this.dir, String(++this.count));
  }

  async remove(): Promise<void> {
    if (this.dir) await rm(await this.dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function uploaded(field: string, filename: string, declaredType: string, path: string, size: number, head: Buffer): UploadedFile {
  let data: Buffer | undefined;
  return {
    field,
    filename,
    declaredType,
    size,
    path,
    head,
    read: () => readFile(path),
    open: () => createReadStream(path),
    get data() {
      data ??= readFileSync(path);
      return data;
    },
  };
}

export function parseMultipart(ctx: Koa.Context, maxBytes: number): Promise<Record<string, unknown>> {
  const declared = declaredLength(ctx);
  if (declared !== undefined && declared > maxBytes) {
    // Refused before anything is read or stored; the rest of the body is read and dropped.
    ctx.req.resume();
    return Promise.reject(new HttpError(413));
  }
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: ctx.req.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: maxBytes, files: 10, fields: 200, fieldSize: 1024 * 1024, parts: 220 },
      });
    } catch {
      reject(new HttpError(400));
      return;
    }
    const spool = new Spool(ctx);
    const fields: Record<string, unknown> = {};
    const files: Promise<UploadedFile | undefined>[] = [];
    const writers: WriteStream[] = [];
    let total = 0;
    let failed = false;
    const fail = (err: HttpError): void => {
      if (failed) return;
      failed = true;
      ctx.req.unpipe(bb);
      ctx.req.resume();
      for (const w of writers) w.destroy();
      void spool.remove();
      reject(err);
    };
    bb.on('field', (name, value) => {
      total += value.length;
      if (total > maxBytes) return fail(new HttpError(413));
      if (name === '__proto__' || name === 'constructor' || name === 'prototype') return;
      fields[name] = name in fields ? ([] as unknown[]).concat(fields[name], value) : value;
    });
    bb.on('file', (name, stream, info) => {
      // Busboy waits for this stream to be read: it is paused until its temporary file is open.
      stream.pause();
      files.push(
        // Never rejects (a rejection nobody awaits yet would stop the process): a broken spool fails the parse.
        new Promise<UploadedFile | undefined>((done) => {
          const broken = (): void => {
            fail(new HttpError(500));
            done(undefined);
          };
          void spool.next().then((path) => {
            const out = createWriteStream(path);
            writers.push(out);
            const head: Buffer[] = [];
            let headBytes = 0;
            let size = 0;
            stream.on('data', (chunk: Buffer) => {
              total += chunk.length;
              size += chunk.length;
              if (total > maxBytes) return fail(new HttpError(413));
              if (headBytes < HEAD_BYTES) {
                head.push(chunk.subarray(0, HEAD_BYTES - headBytes));
                headBytes += Math.min(chunk.length, HEAD_BYTES - headBytes);
              }
              if (!out.write(chunk)) {
                stream.pause();
                out.once('drain', () => stream.resume());
              }
            });
            stream.on('limit', () => fail(new HttpError(413)));
            stream.on('end', () => out.end());
            out.on('error', broken);
            out.on('finish', () =>
              done(info.filename || size ? uploaded(name, info.filename ?? '', info.mimeType, path, size, Buffer.concat(head)) : undefined),
            );
            stream.resume();
          }, broken);
        }),
      );
    });
    bb.on('partsLimit', () => fail(new HttpError(413)));
    bb.on('filesLimit', () => fail(new HttpError(413)));
    bb.on('fieldsLimit', () => fail(new HttpError(413)));
    bb.on('error', () => fail(new HttpError(400)));
    bb.on('close', () => {
      if (failed) return;
      void Promise.all(files).then((all) => {
        if (failed) return;
        (ctx as unknown as { [FILES]?: UploadedFile[] })[FILES] = all.filter((f): f is UploadedFile => f !== undefined);
        resolve(fields);
      });
    });
    ctx.req.pipe(bb);
  });
}

/**
 * An uploaded image, read into memory only once its size and first bytes say it is one:
 * `none` when no file was sent, `tooLarge` past `maxBytes`, `type` when it is not JPEG, PNG,
 * GIF or WebP.
 */
export async function readImage(
  file: UploadedFile | undefined,
  maxBytes: number,
): Promise<{ data: Buffer } | { problem: 'none' | 'tooLarge' | 'type' }> {
  if (!file || !file.size) return { problem: 'none' };
  if (file.size > maxBytes) return { problem: 'tooLarge' };
  if (!sniffImage(file.head)) return { problem: 'type' };
  return { data: await file.read() };
}

/** The image type of a file judged by its first bytes, or undefined when it is not JPEG, PNG, GIF or WebP. */
export function sniffImage(data: Buffer): 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp' | undefined {
  if (data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length > 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data.length > 6 && (data.subarray(0, 6).toString('ascii') === 'GIF87a' || data.subarray(0, 6).toString('ascii') === 'GIF89a'))
    return 'image/gif';
  if (data.length > 12 && data.subarray(0, 4).toString('ascii') === 'RIFF' && data.subarray(8, 12).toString('ascii') === 'WEBP') return 'image/webp';
  return undefined;
}
