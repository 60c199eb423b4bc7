/**
 * Photo albums: the database side. An album is a core entity (type `album`: owner, container,
 * network, access level) plus a `files_albums` row (title, description, cover). Its photos are
 * files whose row names the album; they take the album's level and container when they are
 * added and follow it when the album's level changes, as a member expects of an album
 * (Facebook, Google Photos): the album decides who sees its photos. Every list goes through
 * the core's access clause.
 */
import { entityWithDetails, type AccessLevel, type EntityRow, type Runtime, type Viewer } from '../../core';
import { ALBUM, FILE } from './constants';
import { FilesService, normalise } from './service';

export interface AlbumRow extends EntityRow {
  title: string;
  description: string | null;
  cover_id: number | null;
}

export interface AlbumItem {
  id: number;
  title: string;
  access: string;
  owner_id: number;
  /** The cover photo (chosen, else the first one), null for an empty album. */
  coverId: number | null;
  photos: number;
}

export interface AlbumFields {
  title: string;
  description: string | null;
}

export class AlbumsService {
  static readonly uses = ['db', 'access', 'activity', 'entities'] as const;
  private readonly db: Runtime['db'];
  constructor(private readonly rt: Pick<Runtime, (typeof AlbumsService.uses)[number]>) {
    this.db = rt.db;
  }

  async create(viewer: Viewer, networkId: number, place: { containerId: number | null; access: AccessLevel }, f: AlbumFields): Promise<number> {
    return this.db.transaction(async (trx) => {
      const id = await this.rt.entities.create(
        { type: ALBUM, ownerId: viewer.id, networkId, access: place.access, containerId: place.containerId },
        trx,
      );
      await trx('files_albums').insert({ entity_id: id, title: f.title, description: f.description, created_at: Date.now() });
      return id;
    });
  }

  async find(id: number): Promise<AlbumRow | undefined> {
    const row = await entityWithDetails<AlbumRow>(this.db, id, {
      type: ALBUM,
      table: 'files_albums',
      columns: ['e.*', 'd.title', 'd.description', 'd.cover_id'],
      live: true,
    });
    return row ? normalise(row) : undefined;
  }

  /** The albums of a member's own space or of a container that the viewer may see, newest first, with cover and count. */
  async list(viewer: Viewer | null, networkId: number, where: { ownerId: number } | { containerId: number }): Promise<AlbumItem[]> {
    const q = this.db('entities as e')
      .join('files_albums as a', 'a.entity_id', 'e.id')
      .where('e.type', ALBUM)
      .where('e.network_id', networkId)
      .modify(this.rt.access.visibleTo(viewer, 'e'))
      .select('e.id', 'e.access', 'e.owner_id', 'a.title')
      .orderBy('e.created_at', 'desc')
      .orderBy('e.id', 'desc')
      .limit(100);
    if ('containerId' in where) q.where('e.container_id', where.containerId);
    else q.where('e.owner_id', where.ownerId).whereNull('e.container_id');
    const rows = ((await q) as AlbumItem[]).map(normalise);
    const covers = await this.covers(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      access: r.access,
      owner_id: r.owner_id,
      coverId: covers.get(r.id)?.coverId ?? null,
      photos: covers.get(r.id)?.photos ?? 0,
    }));
  }

  /**
   * The albums' photo counts and covers (the chosen photo while it is in the album, else the
   * first one; null for an empty album), by album id, in one statement.
   */
  async covers(ids: number[]): Promise<Map<number, { coverId: number | null; photos: number }>> {
    if (!ids.length) return new Map();
    const rows = (await this.db('files_items as f')
      .join('entities as e', 'e.id', 'f.entity_id')
      .join('files_albums as a', 'a.entity_id', 'f.album_id')
      .whereNull('e.deleted_at')
      .where('f.state', 'ready')
      .whereIn('f.album_id', ids)
      .groupBy('f.album_id')
      .select('f.album_id', this.db.raw('max(case when f.entity_id = a.cover_id then f.entity_id end) as chosen'))
      .min({ first: 'f.entity_id' })
      .count({ n: '*' })) as { album_id: number; chosen: number | null; first: number; n: number }[];
    return new Map(rows.map((c) => [Number(c.album_id), { coverId: Number(c.chosen ?? c.first), photos: Number(c.n) }]));
  }

  /** The albums' titles, photo counts and covers, by id (their context line away from their page): two statements. */
  async summaries(ids: number[]): Promise<Map<number, { title: string; coverId: number | null; photos: number }>> {
    if (!ids.length) return new Map();
    const [titles, covers] = await Promise.all([
      this.db('files_albums').whereIn('entity_id', ids).select('entity_id', 'title') as Promise<{ entity_id: number; title: string }[]>,
      this.covers(ids),
    ]);
    return new Map(
      titles.map((r) => {
        const id = Number(r.entity_id);
        return [id, { title: r.title, coverId: covers.get(id)?.coverId ?? null, photos: covers.get(id)?.photos ?? 0 }];
      }),
    );
  }

  /** Title, description, cover, level: the album's photos take the new level with it. */
  async update(album: AlbumRow, f: AlbumFields & { access: AccessLevel; coverId: number | null }): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('files_albums').where({ entity_id: album.id }).update({ title: f.title, description: f.description, cover_id: f.coverId });
      await this.rt.entities.update(album.id, { access: f.access }, trx);
      await trx('entities')
        .where('type', FILE)
        .whereIn('id', trx('files_items').select('entity_id').where({ album_id: album.id }))
        .update({ access: f.access, updated_at: Date.now() });
    });
  }

  /** The ids of the album's photos the viewer may see, in the album's order. */
  async photoIds(viewer: Viewer | null, album: AlbumRow): Promise<number[]> {
    const rows = (await this.db('entities as e')
      .join('files_items as f', 'f.entity_id', 'e.id')
      .where('f.album_id', album.id)
      .where('e.type', FILE)
      .modify(this.rt.access.visibleTo(viewer, 'e'))
      // A photo being checked (scan.ts) is its uploader's alone.
      .where((w) => (viewer ? w.where('f.state', 'ready').orWhere('e.owner_id', viewer.id) : w.where('f.state', 'ready')))
      .orderBy('e.id', 'asc')
      .limit(5000)
      .pluck('e.id')) as number[];
    return rows.map(Number);
  }

  /** Deletes the album and every photo in it (rows, feed entries and bytes). */
  async remove(album: AlbumRow, files: FilesService): Promise<void> {
    const photos = (await this.db('files_items').where({ album_id: album.id }).pluck('entity_id')) as number[];
    for (const id of photos) {
      const file = await files.find(Number(id));
      if (file) await files.remove(file);
    }
    await this.db.transaction(async (trx) => {
      await this.rt.entities.softDelete(album.id, trx);
      await this.rt.activity.remove(album.id, {}, trx);
      await trx('files_albums').where({ entity_id: album.id }).delete();
    });
  }
}
