/**
 * An upload, judged before anything is stored: every file's type from its bytes against the
 * admin's allow-list, its size against the per-file limit, and the batch against the quota
 * left (the member's own space, or the group's). A refused batch stores nothing and says why,
 * file by file. Accepted images are re-encoded (images.ts); then the bytes go to storage and
 * the rows are written; if writing the rows fails, the stored bytes are removed again.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { AccessLevel, AttachmentParent, Runtime, UploadedFile, Viewer } from '../../core';
import { MAX_NAME } from './constants';
import { detectType, IMAGE_TYPES } from './detect';
import { makeVariants } from './images';
import { pdfPreview } from './preview';
import { FilesService, type NewFile } from './service';

export interface Problem {
  key: string;
  params?: Record<string, string | number>;
}

export interface Target {
  containerId: number | null;
  folderId: number | null;
  access: AccessLevel;
  /** Photos added to an album take its container and level. */
  albumId?: number;
  /** An attachment's parent (attachments.ts). */
  parent?: AttachmentParent;
}

interface Prepared {
  file: NewFile;
  /** What goes to storage: re-encoded images in memory, documents streamed from the upload's temporary file. */
  bytes: { key: string; data: Buffer | (() => Readable); mime: string }[];
}

/** A file name as shown: no path, no control characters, at most MAX_NAME characters. */
export function cleanName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const name = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (name || 'file').slice(0, MAX_NAME);
}

export const formatMb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);

/** The bytes of files sent together: what a quota is judged on, before any is processed. */
export const totalSize = (files: readonly { size: number }[]): number => files.reduce((n, f) => n + f.size, 0);

/** Refusals that need no look at the bytes: nothing sent, too many bytes for the quota left. */
export async function quotaProblem(
  svc: FilesService,
  ownerId: number,
  networkId: number,
  target: Pick<Target, 'containerId'>,
  incoming: number,
): Promise<Problem | null> {
  const s = svc.settings(networkId);
  const quota = target.containerId ? s.groupQuota : s.memberQuota;
  if (!quota) return null;
  const used = await svc.used(target.containerId ? { containerId: target.containerId } : { ownerId });
  if (used + incoming <= quota) return null;
  return { key: target.containerId ? 'files.errors.groupQuota' : 'files.errors.quota', params: { used: formatMb(used), allowed: formatMb(quota) } };
}

/** Checks and prepares every file; the problems, one per refused file, when any is refused. */
export async function prepare(svc: FilesService, networkId: number, uploads: UploadedFile[]): Promise<{ ready: Prepared[]; problems: Problem[] }> {
  const s = svc.settings(networkId);
  const ready: Prepared[] = [];
  const problems: Problem[] = [];
  for (const u of uploads) {
    const name = cleanName(u.filename);
    if (u.size === 0) {
      problems.push({ key: 'files.errors.empty', params: { name } });
      continue;
    }
    if (u.size > s.maxFileBytes) {
      problems.push({ key: 'files.errors.tooLarge', params: { name, max: formatMb(s.maxFileBytes) } });
      continue;
    }
    const mime = await detectType(u);
    if (!s.allowed.has(mime)) {
      problems.push({ key: 'files.errors.type', params: { name, type: mime } });
      continue;
    }
    const token = randomBytes(12).toString('hex');
    const key = (what: string): string => `files/${token.slice(0, 2)}/${token}/${what}`;
    if (IMAGE_TYPES.has(mime)) {
      // Images are bounded by the per-file limit and decoded whole by sharp anyway.
      const data = await u.read();
      const v = await makeVariants(data, mime);
      if (!v) {
        problems.push({ key: 'files.errors.unreadable', params: { name } });
        continue;
      }
      const original = s.keepOriginals ? key('original') : null;
      ready.push({
        file: {
          name,
          size: v.display.length + (original ? u.size : 0),
          mime: v.mime,
          kind: 'image',
          key: key('display'),
          displayKey: key('display'),
          thumbKey: key('thumb'),
          originalKey: original,
          width: v.width,
          height: v.height,
        },
        bytes: [
          { key: key('display'), data: v.display, mime: v.mime },
          { key: key('thumb'), data: v.thumb, mime: v.mime },
          ...(original ? [{ key: original, data, mime }] : []),
        ],
      });
    } else {
      // A PDF's first page, when it can be rendered, is its preview (shown, never the PDF itself).
      const p = mime === 'application/pdf' ? await pdfPreview(u.path) : undefined;
      ready.push({
        file: {
          name,
          size: u.size,
          mime,
          kind: 'document',
          key: key('file'),
          displayKey: p ? key('preview') : null,
          thumbKey: p ? key('preview-thumb') : null,
          originalKey: null,
          width: p?.width ?? null,
          height: p?.height ?? null,
        },
        bytes: [
          { key: key('file'), data: () => u.open(), mime },
          ...(p
            ? [
                { key: key('preview'), data: p.display, mime: p.mime },
                { key: key('preview-thumb'), data: p.thumb, mime: p.mime },
              ]
            : []),
        ],
      });
    }
  }
  return { ready, problems };
}

/** Stores the prepared bytes, then runs `write` (the rows); on failure, removes what was stored. */
export async function storeBytes<T>(rt: Pick<Runtime, 'storage'>, svc: FilesService, ready: Prepared[], write: () => Promise<T>): Promise<T> {
  const all = ready.flatMap((p) => p.bytes);
  try {
    for (const b of all) await rt.storage.put(b.key, typeof b.data === 'function' ? b.data() : b.data, b.mime);
    return await write();
  } catch (err) {
    await svc.dropBytes(all.map((b) => b.key));
    throw err;
  }
}

/** Stores a batch and writes its rows. */
export function store(
  rt: Pick<Runtime, 'storage'>,
  svc: FilesService,
  viewer: Viewer,
  networkId: number,
  target: Target,
  ready: Prepared[],
  pending = false,
): Promise<number[]> {
  return storeBytes(rt, svc, ready, () =>
    svc.create(
      viewer,
      networkId,
      target,
      ready.map((p) => p.file),
      pending,
    ),
  );
}
