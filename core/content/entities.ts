/**
 * Entities: the rows whose columns the access model reads (owner, container, network,
 * access level, deletion, publication). Every kind of content (status post, blog post, topic, group...)
 * creates its entity here and keeps its own columns in its plugin's table, keyed by the
 * entity id. Tags live here too, so one tag page can list every kind.
 */
import type { Knex } from 'knex';
import type { AccessLevel } from '../access/access';
import { idList, perDialect, preparedRead } from '../db/statements';
import { MAX_TAGS } from './tags';
import { queueSearch } from './search';
import { requireBotScope } from '../members/bot-scope';

export interface EntityRow {
  id: number;
  type: string;
  owner_id: number;
  container_id: number | null;
  network_id: number;
  access: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  pinned_until: number | null;
  /** false (0 on SQLite) while a draft or scheduled: seen by its owner only. */
  published: boolean | number;
  /** true (1 on SQLite) while withheld by moderation (hidden, or held for review): its author's and moderators' only. */
  withheld: boolean | number;
  /** Goes up with every write of what the entity's card shows (core migration 049; `touch`). */
  version: number | string;
}

export interface NewEntity {
  type: string;
  ownerId: number;
  networkId: number;
  access: AccessLevel;
  containerId?: number | null;
  /** false for a draft or a scheduled post (its owner's only until published); defaults to true. */
  published?: boolean;
  /**
   * true when the core's screening holds it for review (`heldOnSave`): saved withheld, so
   * nobody but its author and moderators ever sees it before a moderator's decision.
   */
  withheld?: boolean;
  /** Defaults to now. */
  createdAt?: number;
}

export type EntityPatch = Partial<{
  access: AccessLevel;
  containerId: number | null;
  networkId: number;
  pinnedUntil: number | null;
  published: boolean;
  /** Moderation's decision alone (hide, hold, restore): an author's edit never passes it. */
  withheld: boolean;
  updatedAt: number;
}>;

/** Tags of many entities, by name; kept prepared (one text for any number of entities). */
const TAGS = preparedRead<{ entity_id: number; tag: string }>(
  perDialect((ids) => `select entity_id, tag from entity_tags where ${ids('entity_id')} order by tag`),
);

export class Entities {
  constructor(private readonly db: Knex) {}

  /** Inserts the entity (inside `trx` when given) and returns its id; a bot's outside its scope is refused (403). */
  async create(e: NewEntity, trx: Knex = this.db): Promise<number> {
    await requireBotScope(trx, e);
    const at = e.createdAt ?? Date.now();
    const [row] = await trx('entities')
      .insert({
        type: e.type,
        owner_id: e.ownerId,
        network_id: e.networkId,
        access: e.access,
        container_id: e.containerId ?? null,
        published: e.published ?? true,
        withheld: e.withheld ?? false,
        created_at: at,
        updated_at: at,
      })
      .returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    await queueSearch(trx, [id]);
    return id;
  }

  async get(id: number, trx: Knex = this.db): Promise<EntityRow | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    return (await trx('entities').where({ id }).first()) as EntityRow | undefined;
  }

  async update(id: number, patch: EntityPatch, trx: Knex = this.db): Promise<void> {
    const row: Record<string, unknown> = { updated_at: patch.updatedAt ?? Date.now() };
    if (patch.access !== undefined) row.access = patch.access;
    if (patch.containerId !== undefined) row.container_id = patch.containerId;
    if (patch.networkId !== undefined) row.network_id = patch.networkId;
    if (patch.pinnedUntil !== undefined) row.pinned_until = patch.pinnedUntil;
    if (patch.published !== undefined) row.published = patch.published;
    if (patch.withheld !== undefined) row.withheld = patch.withheld;
    await trx('entities').where({ id }).update(row);
    await queueSearch(trx, [id]);
    // The activity rows repeat the container (a group's feed reads them by it).
    if (patch.containerId !== undefined) await trx('activity').where({ entity_id: id }).update({ container_id: patch.containerId });
  }

  /**
   * A write of what these entities' cards show, in rows of the plugin's own (a status post's
   * body, a blog post's title): bumps their version (`entities.version`, core migration 049) in
   * the writer's transaction, so a card kept by version (core/cache/fragments.ts) is rendered
   * again by every process. An update of the entity's own row (`update`, `softDelete`, any SQL)
   * bumps it already, through a row trigger.
   */
  async touch(ids: readonly number[], trx: Knex = this.db): Promise<void> {
    if (!ids.length) return;
    await trx('entities')
      .whereIn('id', [...ids])
      .update({ version: trx.raw('?? + 1', ['version']) });
  }

  /** Soft delete: the access model then shows it to no one; its activity goes with it. */
  async softDelete(id: number, trx: Knex = this.db): Promise<void> {
    const at = Date.now();
    await trx('entities').where({ id }).whereNull('deleted_at').update({ deleted_at: at, updated_at: at });
    await queueSearch(trx, [id]);
  }

  /** The entity's searchable text changed in rows of its plugin's own (core/content/search.ts). */
  async textChanged(ids: readonly number[], trx: Knex = this.db): Promise<void> {
    await queueSearch(trx, ids);
  }

  /** Replaces the entity's tags (already normalised, see tags.ts). */
  async setTags(id: number, tags: readonly string[], trx: Knex = this.db): Promise<void> {
    await trx('entity_tags').where({ entity_id: id }).delete();
    const distinct = [...new Set(tags)].slice(0, MAX_TAGS);
    if (distinct.length) await trx('entity_tags').insert(distinct.map((tag) => ({ entity_id: id, tag })));
    await queueSearch(trx, [id]);
  }

  /** Tags of many entities in one query. */
  async tagsOf(ids: readonly number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    if (!ids.length) return out;
    const rows = await TAGS.all(this.db, [idList(ids)]);
    for (const r of rows) {
      const list = out.get(Number(r.entity_id)) ?? [];
      list.push(r.tag);
      out.set(Number(r.entity_id), list);
    }
    return out;
  }
}
