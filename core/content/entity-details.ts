/**
 * A plugin keeps the columns of its kind of content in its own table keyed by the entity
 * (`entity_id`); reading one item is that row joined to its entity. This is that read, once:
 * the entities row is `e`, the plugin's row `d`.
 */
import type { Knex } from 'knex';

export interface EntityDetails {
  /** The entity type (`file`, `album`...): an entity of another type is not found. */
  type: string;
  /** The plugin's table, keyed by `entity_id`. */
  table: string;
  /** What to read, with the aliases: `['e.*', 'd.*']`, `['e.*', 'd.title']`. */
  columns: string[];
  /** Leave deleted entities out (by default they are found: the caller checks visibility). */
  live?: boolean;
}

/** The entity `id` with its plugin's row, or undefined (also for an id that is not a positive whole number). */
export async function entityWithDetails<Row>(db: Knex, id: number, spec: EntityDetails): Promise<Row | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const query = db('entities as e').join(`${spec.table} as d`, 'd.entity_id', 'e.id').where('e.id', id).where('e.type', spec.type);
  if (spec.live) query.whereNull('e.deleted_at');
  return (await query.first(...spec.columns)) as Row | undefined;
}
