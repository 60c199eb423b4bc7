/**
 * The history of a file in `files_versions`: earlier versions (their bytes stay where they
 * are) and, while scanners look at it, a new version waiting (`pending`): the file shows its
 * current version to everyone meanwhile, and the waiting one replaces it once every scanner
 * said yes (a refusal removes it alone).
 */
import type { Runtime } from '../../core';
import type { FileRow, NewFile } from './service';

const FIELDS = ['size', 'mime', 'kind', 'key', 'display_key', 'thumb_key', 'original_key', 'width', 'height'] as const;

/** An earlier (or waiting) version of a file: its stored bytes and variants, as the file's own columns hold them. */
export interface VersionRow extends Pick<FileRow, 'size' | 'mime' | 'key' | 'display_key' | 'thumb_key' | 'original_key' | 'width' | 'height'> {
  id: number;
  entity_id: number;
  number: number;
  kind: string;
  created_at: number;
}

const pick = (row: Record<string, unknown>) => Object.fromEntries(FIELDS.map((f) => [f, row[f] ?? null]));

const normalised = (r: VersionRow): VersionRow => ({
  ...r,
  id: Number(r.id),
  entity_id: Number(r.entity_id),
  number: Number(r.number),
  size: Number(r.size),
  created_at: Number(r.created_at),
});

/** The columns of a prepared upload, as a file or a version row holds them. */
export const columnsOf = (made: NewFile): Record<string, unknown> => ({
  size: made.size,
  mime: made.mime,
  kind: made.kind,
  key: made.key,
  display_key: made.displayKey,
  thumb_key: made.thumbKey,
  original_key: made.originalKey,
  width: made.width,
  height: made.height,
});

/** The history of a file, newest first (a version waiting for the scanners is not part of it yet). */
export async function versionsOf(db: Runtime['db'], id: number): Promise<VersionRow[]> {
  const rows = (await db('files_versions').where({ entity_id: id, pending: false }).orderBy('number', 'desc').limit(200)) as VersionRow[];
  return rows.map(normalised);
}

/** Makes `next` the current version of `file`, the current one joining the history. */
export async function replace(db: Runtime['db'], file: Pick<FileRow, 'id'>, next: Record<string, unknown>): Promise<void> {
  await db.transaction(async (trx) => {
    const current = (await trx('files_items').where({ entity_id: file.id }).first()) as Record<string, unknown>;
    const number = Number(current.version ?? 1);
    await trx('files_versions').insert({ entity_id: file.id, number, ...pick(current), created_at: Date.now() });
    await trx('files_items')
      .where({ entity_id: file.id })
      .update({ ...pick(next), version: number + 1 });
    await trx('entities').where({ id: file.id }).update({ updated_at: Date.now() });
  });
}

/** Keeps a new version aside while scanners look at it; its id. */
export async function addPending(db: Runtime['db'], file: Pick<FileRow, 'id' | 'version'>, made: NewFile): Promise<number> {
  const [row] = await db('files_versions')
    .insert({ entity_id: file.id, number: file.version + 1, ...columnsOf(made), pending: true, created_at: Date.now() })
    .returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

/** The waiting versions of a file (its managers are told one is being checked). */
export async function pendingOf(db: Runtime['db'], id: number): Promise<VersionRow[]> {
  const rows = (await db('files_versions').where({ entity_id: id, pending: true }).orderBy('id')) as VersionRow[];
  return rows.map(normalised);
}

/** A waiting version every scanner passed: it becomes the current one. */
export async function promote(db: Runtime['db'], version: VersionRow): Promise<void> {
  await replace(db, { id: version.entity_id }, version as unknown as Record<string, unknown>);
  await db('files_versions').where({ id: version.id }).delete();
}
