/**
 * The storage interface every driver implements, and what all drivers share: key rules,
 * the errors they throw, and turning a body (bytes or a stream) into chunks with a byte cap.
 *
 * Keys are opaque paths chosen by the code (never by users): letters, digits, `.`, `_`, `-`
 * in `/`-separated segments, e.g. `avatars/12/ab34-64.jpg`. Files can be large: `put`
 * accepts a stream and `stream` reads one back (whole or a byte range) without holding
 * it in memory; `get` is for small files (photos, logos) that are wanted as one Buffer.
 */
import type { Readable } from 'node:stream';

/** What a store knows about one file. */
export interface StoredHead {
  /** Length in bytes. */
  size: number;
  contentType: string;
  /** When it was last written. */
  modified: Date;
}

/** A whole small file in memory (`get`). */
export interface StoredFile extends StoredHead {
  data: Buffer;
}

/** Inclusive byte positions, as in HTTP: `{ start: 0, end: 99 }` is the first 100 bytes. */
export interface ByteRange {
  start: number;
  end: number;
}

/** A file being read (`stream`): its head and a readable stream of its bytes, or of the range asked for. */
export interface StoredStream extends StoredHead {
  body: Readable;
  /** The range the body holds; absent when it holds the whole file. */
  range?: ByteRange;
}

/** One file found by `list`. */
export interface StoredEntry {
  key: string;
  size: number;
  modified: Date;
}

export interface PutOptions {
  /** Refuse (StorageTooLargeError, nothing stored) a body longer than this many bytes. */
  maxBytes?: number;
}

/** Bytes to store: a Buffer, or a stream of them (read once, never held whole in memory). */
export type StorageBody = Buffer | Uint8Array | Readable | AsyncIterable<Uint8Array>;

export interface Storage {
  /** `local` or `s3`. */
  readonly driver: string;
  /** Where the files are, for people (`ruche doctor`, logs); never holds a secret. */
  readonly location: string;
  /** Stores a file under a key, replacing any file there; readers see the old or the new file, never a part. */
  put(key: string, body: StorageBody, contentType: string, options?: PutOptions): Promise<StoredHead>;
  /** A whole file in memory, or undefined when there is none. For small files. */
  get(key: string): Promise<StoredFile | undefined>;
  /** Size, type and date of a file without its bytes, or undefined when there is none. */
  head(key: string): Promise<StoredHead | undefined>;
  /**
   * A stream of a file's bytes (of `range` only when given), or undefined when there is none.
   * A range must lie within the file (StorageRangeError otherwise); `serveStored` checks it.
   * The caller must consume or destroy `body`.
   */
  stream(key: string, range?: ByteRange): Promise<StoredStream | undefined>;
  /** Removes a file; removing a missing file is not an error. */
  delete(key: string): Promise<void>;
  /** Every file whose key starts with `prefix` (`''`: all), in no particular order. */
  list(prefix: string): AsyncIterable<StoredEntry>;
  /** Releases what the driver holds open (connections); the runtime calls it on close. */
  close?(): void;
}

/** A key or prefix that breaks the key rules (a bug in the calling code, never a user's input). */
export class StorageKeyError extends Error {
  constructor(key: string) {
    super(`invalid storage key "${key}"`);
    this.name = 'StorageKeyError';
  }
}

/** A body longer than `PutOptions.maxBytes`: nothing was stored. */
export class StorageTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes`);
    this.name = 'StorageTooLargeError';
  }
}

/** A byte range outside the file. */
export class StorageRangeError extends Error {
  constructor(
    readonly range: ByteRange,
    readonly size: number,
  ) {
    super(`bytes ${range.start}-${range.end} lie outside a file of ${size} bytes`);
    this.name = 'StorageRangeError';
  }
}

const SEGMENT = /^[a-z0-9][a-z0-9._-]*$/i;
/** The suffix of the local driver's content-type files: no key may end with it. */
export const TYPE_SUFFIX = '.type';

/** Throws StorageKeyError unless `key` is a valid key. */
export function checkKey(key: string): string {
  if (typeof key !== 'string' || key.length > 1024 || !key.split('/').every((s) => SEGMENT.test(s) && s !== '.' && s !== '..')) {
    throw new StorageKeyError(key);
  }
  if (key.endsWith(TYPE_SUFFIX)) throw new StorageKeyError(key);
  return key;
}

/** Throws StorageKeyError unless `prefix` is `''` or the start of a valid key (`avatars/`, `avatars/12`). */
export function checkPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  if (typeof prefix !== 'string' || prefix.length > 1024) throw new StorageKeyError(prefix);
  const segments = prefix.split('/');
  const last = segments.pop() as string;
  if (!segments.every((s) => SEGMENT.test(s) && s !== '.' && s !== '..')) throw new StorageKeyError(prefix);
  if (last !== '' && (!SEGMENT.test(last) || last === '.' || last === '..')) throw new StorageKeyError(prefix);
  return prefix;
}

/** Throws StorageRangeError unless `range` lies within a file of `size` bytes. */
export function checkRange(range: ByteRange, size: number): void {
  const ok = Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.start <= range.end;
  if (!ok || range.end >= size) throw new StorageRangeError(range, size);
}

/** The chunks of a body, failing with StorageTooLargeError as soon as they pass `maxBytes`. */
export async function* chunksOf(body: StorageBody, maxBytes = Infinity): AsyncGenerator<Buffer> {
  let total = 0;
  const source: Iterable<Uint8Array> | AsyncIterable<Uint8Array> = body instanceof Uint8Array ? [body] : body;
  for await (const raw of source) {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    total += chunk.length;
    if (total > maxBytes) throw new StorageTooLargeError(maxBytes);
    if (chunk.length) yield chunk;
  }
}

/** Reads a whole stream into one Buffer (for `get`). */
export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(parts);
}

/** Content types are stored as given, trimmed; an empty one reads back as `application/octet-stream`. */
export const contentTypeOr = (type: string | undefined): string => type?.trim() || 'application/octet-stream';
