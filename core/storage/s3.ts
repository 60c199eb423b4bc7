/**
 * The S3 driver: files as objects of one bucket of an S3-compatible store (Amazon S3,
 * MinIO, Garage, Ceph, Scaleway, OVH, Cloudflare R2...), for several machines sharing
 * one store. The content type is the object's own. A body is read in parts of
 * `PART_BYTES`: a small file goes up in one PutObject, a larger one as a multipart upload
 * (aborted on any failure), so at most one part of an upload is in memory.
 */
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {
  checkKey,
  checkPrefix,
  checkRange,
  chunksOf,
  contentTypeOr,
  readAll,
  type ByteRange,
  type PutOptions,
  type Storage,
  type StorageBody,
  type StoredEntry,
  type StoredFile,
  type StoredHead,
  type StoredStream,
} from './store';

export interface S3Options {
  bucket: string;
  /** The store's address; absent for Amazon S3 itself. */
  endpoint?: string;
  region: string;
  /** Both or neither; neither uses the SDK's usual sources (AWS_* variables, instance role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key` (MinIO and most self-hosted stores). */
  forcePathStyle: boolean;
  /** Prepended to every key, so one bucket can hold several installations (`ruche/`). */
  prefix: string;
}

/** Size of each part of a multipart upload (S3 asks for at least 5 MiB but the last). */
export const PART_BYTES = 8 * 1024 * 1024;

export class S3Storage implements Storage {
  readonly driver = 's3';
  private readonly client: S3Client;

  constructor(private readonly options: S3Options) {
    const { accessKeyId, secretAccessKey } = options;
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle,
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
      // Checksums only where S3 requires them: many S3-compatible stores refuse the others.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // An unreachable store fails in seconds rather than hanging uploads and `ruche doctor`.
      requestHandler: { connectionTimeout: 5_000 },
    });
  }

  get location(): string {
    const where = this.options.endpoint ? ` at ${this.options.endpoint}` : ` in ${this.options.region}`;
    return `s3://${this.options.bucket}/${this.options.prefix}${where}`;
  }

  async put(key: string, body: StorageBody, contentType: string, options: PutOptions = {}): Promise<StoredHead> {
    const Key = this.key(key);
    const ContentType = contentTypeOr(contentType);
    const parts = partsOf(chunksOf(body, options.maxBytes));
    const first = await parts.next();
    const second = first.done ? first : await parts.next();
    if (second.done) {
      const data = first.done ? Buffer.alloc(0) : first.value;
      await this.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key, Body: data, ContentType, ContentLength: data.length }));
      return { size: data.length, contentType: ContentType, modified: new Date() };
    }
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.options.bucket, Key, ContentType }));
    const done: { ETag: string | undefined; PartNumber: number }[] = [];
    let size = 0;
    try {
      const upload = async (data: Buffer): Promise<void> => {
        const PartNumber = done.length + 1;
        const out = await this.client.send(
          new UploadPartCommand({ Bucket: this.options.bucket, Key, UploadId, PartNumber, Body: data, ContentLength: data.length }),
        );
        done.push({ ETag: out.ETag, PartNumber });
        size += data.length;
      };
      await upload(first.value as Buffer);
      await upload(second.value);
      for await (const part of { [Symbol.asyncIterator]: () => parts }) await upload(part);
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.options.bucket, Key, UploadId, MultipartUpload: { Parts: done } }));
    } catch (e) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.options.bucket, Key, UploadId })).catch(() => undefined);
      throw e;
    }
    return { size, contentType: ContentType, modified: new Date() };
  }

  async get(key: string): Promise<StoredFile | undefined> {
    const found = await this.stream(key);
    if (!found) return undefined;
    const { body, ...head } = found;
    return { ...head, data: await readAll(body) };
  }

  async head(key: string): Promise<StoredHead | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.key(key) }));
      return { size: out.ContentLength ?? 0, contentType: contentTypeOr(out.ContentType), modified: out.LastModified ?? new Date(0) };
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  async stream(key: string, range?: ByteRange): Promise<StoredStream | undefined> {
    const Key = this.key(key);
    if (range && !(range.start >= 0 && range.start <= range.end)) checkRange(range, 0);
    try {
      const Range = range ? `bytes=${range.start}-${range.end}` : undefined;
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key, Range }));
      const total = range ? Number(/\/(\d+)$/.exec(out.ContentRange ?? '')?.[1] ?? NaN) : (out.ContentLength ?? 0);
      const head = { size: total, contentType: contentTypeOr(out.ContentType), modified: out.LastModified ?? new Date(0) };
      const body = out.Body as Readable;
      if (range) {
        try {
          checkRange(range, total);
        } catch (e) {
          body.destroy();
          throw e;
        }
      }
      return { ...head, body, ...(range ? { range } : {}) };
    } catch (e) {
      if (isMissing(e)) return undefined;
      if (range && httpStatus(e) === 416) {
        const size = (await this.head(key))?.size;
        if (size === undefined) return undefined;
        checkRange(range, size);
      }
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.key(key) }));
  }

  async *list(prefix: string): AsyncIterable<StoredEntry> {
    const Prefix = this.options.prefix + checkPrefix(prefix);
    let ContinuationToken: string | undefined;
    do {
      const out = await this.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix, ContinuationToken }));
      for (const o of out.Contents ?? []) {
        if (o.Key) yield { key: o.Key.slice(this.options.prefix.length), size: o.Size ?? 0, modified: o.LastModified ?? new Date(0) };
      }
      ContinuationToken = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  /** Closes the client's connections. */
  close(): void {
    this.client.destroy();
  }

  private key(key: string): string {
    return this.options.prefix + checkKey(key);
  }
}

/** Regroups chunks into parts of PART_BYTES (the last one shorter). */
async function* partsOf(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let held: Buffer[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    held.push(chunk);
    length += chunk.length;
    while (length >= PART_BYTES) {
      const all = Buffer.concat(held, length);
      yield all.subarray(0, PART_BYTES);
      held = [all.subarray(PART_BYTES)];
      length -= PART_BYTES;
    }
  }
  if (length) yield Buffer.concat(held, length);
}

const httpStatus = (e: unknown): number | undefined => (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;

function isMissing(e: unknown): boolean {
  const name = (e as { name?: string })?.name;
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || httpStatus(e) === 404;
}
