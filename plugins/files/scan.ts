/**
 * Scanning (`files:scan`): plugins that check files (an antivirus) add a scanner each to the
 * `files:scan` filter. Where a scanner is enabled, a new file or a new version waits in the
 * `pending` state (shown to its uploader only, as "being checked"; everyone else gets the
 * same 404 as for a missing file, and its feed entry waits) until the `files.scan` job has
 * asked every scanner and every one said yes. A new version waits aside (version-store.ts),
 * the current one staying visible. A refusal removes the bytes (a new file goes altogether; a
 * refused version alone, the file unchanged) and tells the uploader, naming the file.
 * A scanner that cannot answer now (clamd unreachable) throws: the job tries again later,
 * with the runner's backoff, and the file stays pending.
 */
import type { Readable } from 'node:stream';
import type { Runtime } from '../../core';
import type {} from '../notifications/hooks';
import './hooks';
import { FilesService, keysOf, type FileRow } from './service';
import { pendingOf, promote, type VersionRow } from './version-store';

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

/** What is scanned: a file's current bytes, or a new version waiting aside. */
type Scanned = Pick<FileRow, 'network_id' | 'id' | 'owner_id' | 'name'> & Pick<VersionRow, 'mime' | 'size' | 'key' | 'original_key'>;

/** The first refusal of these bytes by a scanner, or null when every one said yes. */
async function refusalOf(rt: Pick<Runtime, 'storage'>, scanners: FileScanner[], file: Scanned): Promise<string | null> {
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

/** Tells the uploader which file a scanner refused (the file, or the version, is gone by then). */
async function tellRefused(rt: Runtime, networkId: number, file: Pick<FileRow, 'id' | 'owner_id' | 'name'>, refusal: string): Promise<void> {
  rt.plugin('files').logger.warn({ file: file.id, refusal }, 'files: a scanner refused a file; its bytes are removed');
  const [row] = await rt.db('files_refusals').insert({ user_id: file.owner_id, name: file.name, created_at: Date.now() }).returning('id');
  const refusalId = Number(typeof row === 'object' ? row.id : row);
  await rt.hooks.emit('notifications:notify', {
    networkId,
    kind: 'files.refused',
    userId: file.owner_id,
    actorId: null,
    objectId: refusalId,
    groupKey: `files.refused:${refusalId}`,
  });
}

/** A new version waiting aside: promoted when clean, removed (the file unchanged) when refused. */
async function scanVersion(rt: Runtime, svc: FilesService, scanners: FileScanner[], fileId: number, versionId: number): Promise<void> {
  const file = await svc.find(fileId);
  const version = (await pendingOf(rt.db, fileId)).find((v) => v.id === versionId);
  if (!file || !version) return;
  const refusal = await refusalOf(rt, scanners, { ...file, ...version, id: file.id });
  if (!refusal) return promote(rt.db, version);
  await rt.db('files_versions').where({ id: version.id }).delete();
  await svc.dropBytes(keysOf(version));
  await tellRefused(rt, file.network_id, file, refusal);
}

/** The job: scans the pending files of one upload (or one new version) and settles each. */
export async function scanPending(rt: Runtime, payload: Record<string, unknown>): Promise<void> {
  const svc = rt.container.resolve(FilesService);
  const ids = (Array.isArray(payload.ids) ? payload.ids : []).map(Number);
  const networkId = Number(payload.networkId);
  const scanners = await scannersOf(rt, networkId);
  if (payload.versionId !== undefined) return scanVersion(rt, svc, scanners, ids[0], Number(payload.versionId));
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
    await svc.remove(file);
    await tellRefused(rt, networkId, file, refusal);
  }
  if (clean.length) await svc.release(clean, ownerId, networkId);
}
