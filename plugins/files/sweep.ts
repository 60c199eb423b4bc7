/**
 * The nightly orphan sweep (`files.sweep`, every 24 hours): every stored object under `files/`
 * that no file row (current or earlier version) names any more is removed — bytes left by a process that died between
 * storing and writing its rows, by a member's account deleted with its files (the rows go by
 * cascade), or by anything else. Objects younger than an hour are left alone (an upload may be
 * between its bytes and its rows). First, attachments whose parent entity is deleted though no
 * `attachments:deleted` said so (a parent removed another way) go, rows and bytes. Returns what
 * it freed, which the job logs.
 */
import type { Runtime } from '../../core';
import { FilesService } from './service';

export const SWEEP_JOB = 'files.sweep';
export const SWEEP_EVERY_MS = 24 * 60 * 60 * 1000;
const GRACE_MS = 60 * 60 * 1000;

/** Attachments whose parent entity is deleted or gone: removed as their parent's deletion would have. */
async function orphanAttachments(rt: Pick<Runtime, 'db' | 'container'>): Promise<number> {
  const ids = (await rt
    .db('files_items as f')
    .leftJoin('entities as p', 'p.id', 'f.parent_entity_id')
    .whereNotNull('f.parent_entity_id')
    .where((q) => q.whereNull('p.id').orWhereNotNull('p.deleted_at'))
    .limit(10_000)
    .pluck('f.entity_id')) as number[];
  const svc = rt.container.resolve(FilesService);
  for (const id of ids) {
    const file = await svc.find(Number(id));
    if (file) await svc.remove(file);
  }
  return ids.length;
}

export async function sweepOrphans(
  rt: Pick<Runtime, 'db' | 'storage' | 'container'>,
  now: number,
): Promise<{ removed: number; bytes: number; attachments: number }> {
  const attachments = await orphanAttachments(rt);
  const candidates: { key: string; size: number }[] = [];
  for await (const entry of rt.storage.list('files/')) {
    if (entry.modified.getTime() < now - GRACE_MS) candidates.push({ key: entry.key, size: entry.size });
  }
  let removed = 0;
  let bytes = 0;
  for (let i = 0; i < candidates.length; i += 500) {
    const batch = candidates.slice(i, i + 500);
    const keys = batch.map((c) => c.key);
    const named = (table: string) =>
      rt
        .db(table)
        .where((q) => q.whereIn('key', keys).orWhereIn('display_key', keys).orWhereIn('thumb_key', keys).orWhereIn('original_key', keys))
        .select('key', 'display_key', 'thumb_key', 'original_key') as Promise<Record<string, string | null>[]>;
    const rows = [...(await named('files_items')), ...(await named('files_versions'))];
    const used = new Set(rows.flatMap((r) => Object.values(r)).filter((k): k is string => !!k));
    for (const c of batch) {
      if (used.has(c.key)) continue;
      await rt.storage.delete(c.key);
      removed++;
      bytes += c.size;
    }
  }
  return { removed, bytes, attachments };
}
