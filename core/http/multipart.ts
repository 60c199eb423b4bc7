/**
 * multipart/form-data (forms with files), parsed with busboy into memory within limits:
 * the whole body may not exceed `uploadBody`, and parsing stops with a 413 as soon as it
 * does. Fields land in `ctx.request.body` like any form; files in `uploadedFiles(ctx)`.
 * Handlers decide which types they accept (see `sniffImage`): never trust the filename
 * or the declared type alone.
 */
import type Koa from 'koa';
import busboy from 'busboy';
import { HttpError } from '../errors';

export interface UploadedFile {
  field: string;
  filename: string;
  /** As declared by the browser; check the content itself before trusting it. */
  declaredType: string;
  data: Buffer;
}

const FILES = Symbol('ruche.uploadedFiles');

export function uploadedFiles(ctx: Koa.Context): UploadedFile[] {
  return (ctx as unknown as { [FILES]?: UploadedFile[] })[FILES] ?? [];
}

export function parseMultipart(ctx: Koa.Context, maxBytes: number): Promise<Record<string, unknown>> {
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
    const fields: Record<string, unknown> = {};
    const files: UploadedFile[] = [];
    let total = 0;
    let failed = false;
    const fail = (err: HttpError): void => {
      if (failed) return;
      failed = true;
      ctx.req.unpipe(bb);
      ctx.req.resume();
      reject(err);
    };
    bb.on('field', (name, value) => {
      total += value.length;
      if (total > maxBytes) return fail(new HttpError(413));
      if (name === '__proto__' || name === 'constructor' || name === 'prototype') return;
      fields[name] = name in fields ? ([] as unknown[]).concat(fields[name], value) : value;
    });
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBytes) fail(new HttpError(413));
        else chunks.push(chunk);
      });
      stream.on('limit', () => fail(new HttpError(413)));
      stream.on('end', () => {
        if (!failed && (info.filename || chunks.length))
          files.push({ field: name, filename: info.filename ?? '', declaredType: info.mimeType, data: Buffer.concat(chunks) });
      });
    });
    bb.on('partsLimit', () => fail(new HttpError(413)));
    bb.on('filesLimit', () => fail(new HttpError(413)));
    bb.on('fieldsLimit', () => fail(new HttpError(413)));
    bb.on('error', () => fail(new HttpError(400)));
    bb.on('close', () => {
      if (failed) return;
      (ctx as unknown as { [FILES]?: UploadedFile[] })[FILES] = files;
      resolve(fields);
    });
    ctx.req.pipe(bb);
  });
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
