/**
 * Files: the plugin's only database access. A file is a core entity (owner, container,
 * network, access level) plus a `files_items` row; every list goes through the core's access
 * clause. Bytes live in the core's storage under keys the server chose (`files/<token>/...`);
 * the row names them, so deleting a file removes exactly its bytes and variants.
 */
import type { Knex } from 'knex';
import {
  entityWithDetails,
  isAccessLevel,
  keysetOrder,
  LIKE_ESCAPE,
  type AttachmentParent,
  likeContains,
  queueSearch,
  readPage,
  typedRow,
  type AccessLevel,
  type EntityRow,
  type KeysetCursor,
  type KeysetOrder,
  type KeysetPage,
  type Runtime,
  type Viewer,
} from '../../core';
import { DEFAULT_TYPES, FILE, MB, PAGE_SIZE } from './constants';
import type { ContextRow } from './context';
import { allowList } from './detect';
import './hooks';

export const SORTS = ['date', 'name', 'size'] as const;
export type Sort = (typeof SORTS)[number];

export interface FileRow extends EntityRow {
  name: string;
  folder_id: number | null;
  size: number;
  mime: string;
  kind: 'image' | 'document';
  key: string;
  display_key: string | null;
  thumb_key: string | null;
  original_key: string | null;
  width: number | null;
  height: number | null;
  batch_id: number | null;
  version: number;
  /** `pending` while scanners have not all said yes (scan.ts), else `ready`. */
  state: 'pending' | 'ready';
  album_id: number | null;
  caption: string | null;
  /** What the file is attached to (attachments.ts), or null for a file of a library. */
  parent_kind: string | null;
  parent_id: number | null;
  parent_entity_id: number | null;
}

export interface ListItem {
  id: number;
  name: string;
  size: number;
  mime: string;
  kind: string;
  access: string;
  owner_id: number;
  created_at: number;
  thumb_key: string | null;
  caption: string | null;
  display_name: string;
  username: string;
  state: string;
}

export interface ListQuery {
  ownerId?: number;
  containerId?: number | null;
  /** A folder id; null for the library's top level; undefined for every folder. */
  folderId?: number | null;
  /** The photos of an album (in the order they were added, for "date"); null: files in no album. */
  albumId?: number | null;
  q?: string;
  sort?: Sort;
  /** Where the page starts (keyset: `listOrder`); the first page without one. */
  cursor?: KeysetCursor;
}

/** A listed row, with the first part of its sort key when the order has two (the id is the last). */
type Listed = ListItem & { sort_key?: unknown };
const byIntAndId = (r: Listed) => [Number(r.sort_key), Number(r.id)];
const NEWEST = keysetOrder(
  ['int', 'int'],
  [
    { sql: 'e.created_at', desc: true },
    { sql: 'e.id', desc: true },
  ],
  byIntAndId,
);
const BY_NAME = keysetOrder(['text', 'int'], [{ sql: 'lower(f.name)' }, { sql: 'e.id' }], (r: Listed) => [String(r.sort_key), Number(r.id)]);
const LARGEST = keysetOrder(
  ['int', 'int'],
  [
    { sql: 'f.size', desc: true },
    { sql: 'e.id', desc: true },
  ],
  byIntAndId,
);
const ADDED = keysetOrder(['int'], [{ sql: 'e.id' }], (r: Listed) => [Number(r.id)]);

/**
 * A list's order for its sort, the id breaking ties, and the kinds of its cursor's parts:
 * newest first (along the entities' (container_id, created_at) and (owner_id, created_at)
 * indexes), by name, largest first; an album's photos by "date" in the order they were added.
 */
export const listOrder = (sort: Sort = 'date', album = false): KeysetOrder<Listed> =>
  sort === 'name' ? BY_NAME : sort === 'size' ? LARGEST : album ? ADDED : NEWEST;

/** A file ready to save: its bytes (and variants) already in storage under these keys. */
export interface NewFile {
  name: string;
  size: number;
  mime: string;
  kind: 'image' | 'document';
  key: string;
  displayKey: string | null;
  thumbKey: string | null;
  originalKey: string | null;
  width: number | null;
  height: number | null;
}

export interface FolderRow {
  id: number;
  container_id: number;
  parent_id: number | null;
  owner_id: number;
  name: string;
  created_at: number;
}

export interface FilesSettings {
  allowed: Set<string>;
  maxFileBytes: number;
  memberQuota: number;
  groupQuota: number;
  keepOriginals: boolean;
  defaultAccess: AccessLevel;
}

export class FilesService {
  /** The core services it uses: all it is given (`registerService` in plugin.ts). */
  static readonly uses = ['db', 'access', 'activity', 'entities', 'hooks', 'pluginHandles', 'storage'] as const;
  private readonly db: Runtime['db'];
  constructor(private readonly rt: Pick<Runtime, (typeof FilesService.uses)[number]>) {
    this.db = rt.db;
  }

  settings(networkId: number): FilesSettings {
    const s = this.rt.pluginHandles.for('files').settings(networkId);
    const level = s.defaultAccess;
    return {
      allowed: allowList(s.allowedTypes ?? DEFAULT_TYPES),
      maxFileBytes: Number(s.maxFileMb ?? 10) * MB,
      memberQuota: Number(s.memberQuotaMb ?? 0) * MB,
      groupQuota: Number(s.groupQuotaMb ?? 0) * MB,
      keepOriginals: s.keepOriginals === true,
      defaultAccess: isAccessLevel(level) && level !== 'group' ? level : 'members',
    };
  }

  /** Levels offered outside a container (the core's choice for personal content). */
  accessLevels(networkId: number): AccessLevel[] {
    return this.rt.access.offeredLevels(networkId);
  }

  /** Bytes a member's own files take (those outside any container), or a container's library. */
  async used(target: { ownerId: number } | { containerId: number }): Promise<number> {
    const q = this.db('files_items as f').join('entities as e', 'e.id', 'f.entity_id').whereNull('e.deleted_at');
    if ('containerId' in target) q.where('e.container_id', target.containerId);
    else q.where('e.owner_id', target.ownerId).whereNull('e.container_id');
    const row = (await q.clone().sum({ n: 'f.size' }).first()) as { n: number | string | null } | undefined;
    const older = (await q.join('files_versions as v', 'v.entity_id', 'f.entity_id').sum({ n: 'v.size' }).first()) as
      { n: number | string | null } | undefined;
    return Number(row?.n ?? 0) + Number(older?.n ?? 0);
  }

  /**
   * Saves a batch of stored files as entities, with one feed entry for the batch. Returns
   * their ids. `pending` files (scanners are to look first) get their feed entry and event
   * when they are released.
   */
  async create(
    viewer: Viewer,
    networkId: number,
    place: { containerId: number | null; folderId: number | null; access: AccessLevel; albumId?: number | null; parent?: AttachmentParent },
    files: NewFile[],
    pending = false,
  ) {
    const now = Date.now();
    const ids = await this.db.transaction(async (trx) => {
      const made: number[] = [];
      for (const f of files) {
        const id = await this.rt.entities.create(
          { type: FILE, ownerId: viewer.id, networkId, access: place.access, containerId: place.containerId },
          trx,
        );
        await trx('files_items').insert({
          entity_id: id,
          name: f.name,
          folder_id: place.folderId,
          size: f.size,
          mime: f.mime,
          kind: f.kind,
          key: f.key,
          display_key: f.displayKey,
          thumb_key: f.thumbKey,
          original_key: f.originalKey,
          width: f.width,
          height: f.height,
          batch_id: made[0] ?? id,
          state: pending ? 'pending' : 'ready',
          album_id: place.albumId ?? null,
          parent_kind: place.parent?.kind ?? null,
          parent_id: place.parent?.id ?? null,
          parent_entity_id: place.parent?.entityId ?? null,
          created_at: now,
        });
        made.push(id);
      }
      // An attachment is shown on its parent's card: no feed entry of its own.
      if (!pending && !place.parent) await this.announce(made, files[0].kind, viewer.id, networkId, now, trx, !!place.albumId);
      return made;
    });
    if (!pending && !place.parent) await this.rt.hooks.emit('files:shared', { networkId, entityIds: ids, ownerId: viewer.id });
    return ids;
  }

  /** The feed entry of a batch: one file, one photo, several files, or photos added to an album. */
  private async announce(ids: number[], kind: string, ownerId: number, networkId: number, at: number, trx: Knex, inAlbum = false): Promise<void> {
    const verb = inAlbum ? 'added_photos' : ids.length > 1 ? 'shared_files' : kind === 'image' ? 'shared_photo' : 'shared';
    await this.rt.activity.record({ verb, actorId: ownerId, entityId: ids[0], networkId, at }, trx);
  }

  /** Pending files every scanner passed: ready, found by search, and shared in the feed. */
  async release(ids: number[], ownerId: number, networkId: number): Promise<void> {
    const first = (await this.db('files_items').whereIn('entity_id', ids).orderBy('entity_id').first('kind', 'album_id', 'parent_kind')) as
      { kind: string; album_id: number | null; parent_kind: string | null } | undefined;
    if (first?.parent_kind) {
      await this.db('files_items').whereIn('entity_id', ids).update({ state: 'ready' });
      return;
    }
    await this.db.transaction(async (trx: Knex) => {
      await trx('files_items').whereIn('entity_id', ids).update({ state: 'ready' });
      await queueSearch(trx, ids);
      if (first) await this.announce(ids, first.kind, ownerId, networkId, Date.now(), trx, !!first.album_id);
    });
    await this.rt.hooks.emit('files:shared', { networkId, entityIds: ids, ownerId });
  }

  async find(id: number): Promise<FileRow | undefined> {
    const row = await entityWithDetails<FileRow>(this.db, id, { type: FILE, table: 'files_items', columns: ['e.*', 'd.*'] });
    return row ? normalise(row) : undefined;
  }

  /** Files of the network the viewer may see, one page (keyset: `listOrder`), sorted and filtered by name. */
  async list(viewer: Viewer | null, networkId: number, q: ListQuery = {}): Promise<KeysetPage<ListItem>> {
    const order = listOrder(q.sort, !!q.albumId);
    const query = this.db('entities as e')
      .join('files_items as f', 'f.entity_id', 'e.id')
      .join('users as u', 'u.id', 'e.owner_id')
      .where('e.type', FILE)
      .where('e.network_id', networkId)
      .modify(this.rt.access.visibleTo(viewer, 'e'))
      // A file being checked is its uploader's alone.
      .where((w) => (viewer ? w.where('f.state', 'ready').orWhere('e.owner_id', viewer.id) : w.where('f.state', 'ready')))
      .select(
        'e.id',
        'e.owner_id',
        'e.access',
        'f.name',
        'f.size',
        'f.mime',
        'f.kind',
        'f.thumb_key',
        'f.state',
        'f.caption',
        'f.created_at',
        'u.display_name',
        'u.username',
        // The first part of the sort key (the id is the last), read as the order reads it.
        ...(order.columns.length > 1 ? [this.db.raw(`${order.columns[0].sql} as sort_key`)] : []),
      );
    if (q.ownerId !== undefined) query.where('e.owner_id', q.ownerId);
    if (q.containerId !== undefined) query.where('e.container_id', q.containerId);
    if (q.folderId !== undefined) query.where('f.folder_id', q.folderId);
    if (q.albumId !== undefined) query.where('f.album_id', q.albumId);
    // Attachments are shown with their parent, behind its access check, never in a library.
    query.whereNull('f.parent_kind');
    if (q.q) query.whereRaw(`lower(f.name) like ? ${LIKE_ESCAPE}`, [likeContains(q.q)]);
    const page = await readPage(query, order, q.cursor ?? {}, PAGE_SIZE);
    return { ...page, items: page.items.map(({ sort_key: _, ...item }) => normalise(item as ListItem)) };
  }

  /** What the files' context line says of them (context.ts), by id: name, size, type, thumbnail, folder and album, in one statement. */
  async contextRows(ids: number[]): Promise<Map<number, ContextRow>> {
    const rows = (await this.db('files_items as f')
      .leftJoin('files_folders as d', 'd.id', 'f.folder_id')
      .leftJoin('files_albums as a', 'a.entity_id', 'f.album_id')
      .whereIn('f.entity_id', ids)
      .select('f.entity_id', 'f.size', 'f.mime', 'f.kind', 'f.thumb_key', 'd.name as folder_name', 'a.title as album_title')) as ContextRow[];
    return new Map(rows.map((r) => [Number(r.entity_id), r]));
  }

  /** Renames a file and puts it in a folder of its container (null: the top level). */
  async edit(id: number, name: string, folderId: number | null, caption?: string | null): Promise<void> {
    await this.db('files_items')
      .where({ entity_id: id })
      .update({ name, folder_id: folderId, ...(caption !== undefined ? { caption } : {}) });
    await this.rt.entities.update(id, {});
  }

  async folder(id: number): Promise<FolderRow | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const row = (await this.db('files_folders').where({ id }).first()) as FolderRow | undefined;
    return row ? normalise(row) : undefined;
  }

  /** The folders directly inside `parentId` (null: the top level) of a container, by name. */
  async folders(containerId: number, parentId: number | null): Promise<FolderRow[]> {
    const rows = (await this.db('files_folders')
      .where({ container_id: containerId, parent_id: parentId })
      .orderByRaw('lower(name) asc')
      .limit(500)) as FolderRow[];
    return rows.map(normalise);
  }

  /** Every folder of a container (where a file may be moved), parents first. */
  async allFolders(containerId: number): Promise<FolderRow[]> {
    const rows = (await this.db('files_folders').where({ container_id: containerId }).orderBy('id').limit(1000)) as FolderRow[];
    return rows.map(normalise);
  }

  async createFolder(containerId: number, parentId: number | null, ownerId: number, name: string): Promise<number> {
    const [row] = await this.db('files_folders')
      .insert({ container_id: containerId, parent_id: parentId, owner_id: ownerId, name, created_at: Date.now() })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  async renameFolder(id: number, name: string): Promise<void> {
    await this.db('files_folders').where({ id }).update({ name });
  }

  /** Deletes a file: the entity goes (soft, with its feed entries), its row and its bytes with it. */
  async remove(file: FileRow): Promise<void> {
    const versions = (await this.db('files_versions')
      .where({ entity_id: file.id })
      .select('key', 'display_key', 'thumb_key', 'original_key')) as FileRow[];
    await this.db.transaction(async (trx: Knex) => {
      await this.rt.entities.softDelete(file.id, trx);
      await this.rt.activity.remove(file.id, {}, trx);
      await trx('files_items').where({ entity_id: file.id }).delete();
      await trx('files_versions').where({ entity_id: file.id }).delete();
    });
    await this.dropBytes([...new Set([file, ...versions].flatMap(keysOf))]);
  }

  async dropBytes(keys: string[]): Promise<void> {
    await Promise.all(keys.map((k) => this.rt.storage.delete(k).catch(() => undefined)));
  }
}

export const keysOf = (f: Pick<FileRow, 'key' | 'display_key' | 'thumb_key' | 'original_key'>): string[] => [
  ...new Set([f.key, f.display_key, f.thumb_key, f.original_key].filter((k): k is string => !!k)),
];

export const normalise = <T>(row: T): T =>
  typedRow(row, {
    numbers: [
      'id',
      'entity_id',
      'owner_id',
      'network_id',
      'container_id',
      'folder_id',
      'size',
      'created_at',
      'updated_at',
      'deleted_at',
      'batch_id',
      'width',
      'height',
      'parent_id',
      'album_id',
      'cover_id',
      'parent_entity_id',
    ],
  });
