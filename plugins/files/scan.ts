/**
 * Scanning (`files:scan`): plugins that check files (an antivirus) add a scanner each to the
 * `files:scan` filter. Where a scanner is enabled, a new file or a new version waits in the
 * `pending` state (shown to its uploader only, as "being checked"; everyone else gets the
 * same 404 as for a missing file, and its feed entry waits) until the `files.scan` job has
 * asked every scanner and every one said yes. A refusal removes the bytes (a new file goes
 * altogether; a refused version gives way to the version before it) and tells the uploader.
 * A scanner that cannot answer now (clamd unreachable) throws: the job tries again later,
 * with the runner's backoff, and the file stays pending.
 */
import type { Readable } from 'node:stream';
import type { Runtime } from '../../core';
import type {} from '../notifications/hooks';
import './hooks';
import { FilesService, type FileRow } from './service';

export const SCAN_JOB = 'files.scan';

/** What a scanner is shown of one file. */
export interface ScanSubject {
  networkId: number;
  entityId: number;
  ownerId: number;
  name: string;
  mime: string;
  size: number;
  /** The stored bytes, as a stream (never held whole in memory). */
  open(): Promise<Readable>;
}

export type ScanVerdict = { clean: true } | { clean: false; reason: string };

export interface FileScanner {
  /** Names the scanner in logs (`clamav`). */
  id: string;
  scan(subject: ScanSubject): Promise<ScanVerdict>;
}

declare module '../../core/hooks/map' {
  interface HookFilters {
    /** The scanners every new file and version must pass (plugins append theirs). */
    'files:scan': { value: FileScanner[]; context: { networkId: number } };
  }
}

export const scannersOf = (rt: Pick<Runtime, 'hooks'>, networkId: number): Promise<FileScanner[]> => rt.hooks.filter('files:scan', [], { networkId });

/** The first refusal of `file`'s current bytes by a scanner, or null when every one said yes. */
async function refusalOf(rt: Pick<Runtime, 'storage'>, scanners: FileScanner[], file: FileRow): Promise<string | null> {
  const subject: ScanSubject = {
    networkId: file.network_id,
    entityId: file.id,
    ownerId: file.owner_id,
    name: file.name,
    mime: file.mime,
    size: file.size,
    async open() {
      const stored = await rt.storage.stream(file.original_key ?? file.key);
      if (!stored) throw new Error(`files: the bytes of file ${file.id} are missing`);
      return stored.body;
    },
  };
  for (const s of scanners) {
    const verdict = await s.scan(subject);
    if (!verdict.clean) return `${s.id}: ${verdict.reason}`;
  }
  return null;
}

/** The job: scans the pending files of one upload (or one new version) and settles each. */
export async function scanPending(rt: Runtime, payload: Record<string, unknown>): Promise<void> {
  const svc = rt.container.resolve(FilesService);
  const ids = (Array.isArray(payload.ids) ? payload.ids : []).map(Number);
  const networkId = Number(payload.networkId);
  const scanners = await scannersOf(rt, networkId);
  const clean: number[] = [];
  let ownerId = 0;
  for (const id of ids) {
    const file = await svc.find(id);
    if (!file || file.state !== 'pending') continue;
    ownerId = file.owner_id;
    const refusal = await refusalOf(rt, scanners, file);
    if (!refusal) {
      clean.push(id);
      continue;
    }
    rt.plugin('files').logger.warn({ file: id, refusal }, 'files: a scanner refused a file; its bytes are removed');
    await svc.refuse(file, payload.version === true);
    await rt.hooks.emit('notifications:notify', {
      networkId,
      kind: 'files.refused',
      userId: file.owner_id,
      actorId: null,
      groupKey: `files.refused:${id}`,
    });
  }
  if (clean.length) await svc.release(clean, ownerId, networkId, payload.version === true);
}
