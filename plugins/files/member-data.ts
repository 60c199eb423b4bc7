/**
 * The member-data contract (core/members/) for files: the member's files go in their archive with
 * their bytes (the current version; every version's row), their albums and folders as JSON. An
 * erased member's files lose their bytes and variants (every version, pending ones included);
 * their rows go with their entities. An anonymised member's files stay, under a former member.
 */
import { erased, memberDataHooks, type MemberFile, type Runtime } from '../../core';
import { keysOf, type FileRow } from './service';
import { FILE } from './constants';

/** The member's files (any state, deleted ones left out) with their stored keys. */
async function ownFiles(db: Runtime['db'], userId: number): Promise<FileRow[]> {
  return (await db('entities as e')
    .join('files_items as f', 'f.entity_id', 'e.id')
    .where({ 'e.owner_id': userId, 'e.type': FILE })
    .select('e.id', 'e.deleted_at', 'f.name', 'f.key', 'f.display_key', 'f.thumb_key', 'f.original_key')) as FileRow[];
}

export const memberData = memberDataHooks('files', {
  parts: [
    {
      name: 'files',
      table: 'files_items',
      entity: 'entity_id',
      select: [
        'entity_id',
        'name',
        'size',
        'mime',
        'kind',
        'caption',
        'album_id',
        'folder_id',
        'version',
        'state',
        'parent_kind',
        'parent_id',
        'created_at',
      ],
    },
    { name: 'versions', table: 'files_versions', entity: 'entity_id', select: ['entity_id', 'number', 'size', 'mime', 'created_at'] },
    { name: 'albums', table: 'files_albums', entity: 'entity_id', select: ['entity_id', 'title', 'description', 'cover_id', 'created_at'] },
    { name: 'folders', table: 'files_folders', columns: ['owner_id'], select: ['id', 'container_id', 'parent_id', 'name', 'created_at'] },
  ],
  async more({ rt, userId }) {
    const files: MemberFile[] = (await ownFiles(rt.db, userId))
      .filter((f) => f.deleted_at === null)
      .map((f) => ({ key: f.original_key ?? f.key, name: `${f.id}-${f.name}` }));
    return [{ plugin: 'files', name: 'stored', rows: files.map((f) => ({ name: f.name })), files }];
  },
  async erasing(report, { rt, userId, mode }) {
    if (mode !== 'erase') return report;
    const files = await ownFiles(rt.db, userId);
    const ids = files.map((f) => f.id);
    const versions = ids.length
      ? ((await rt.db('files_versions').whereIn('entity_id', ids).select('key', 'display_key', 'thumb_key', 'original_key')) as FileRow[])
      : [];
    const keys = [...new Set([...files, ...versions].flatMap(keysOf))];
    return { ...erased(report, 'files', files.length), storageKeys: [...report.storageKeys, ...keys] };
  },
});
