/**
 * Lists that mix entity types (a feed page, a search result page) are described by each
 * plugin for its own type, with one query for the whole list: `describeEach` picks the items of
 * a type, loads their rows in one call and hands each item with its row to the plugin, which
 * answers what to set on it. Items whose row is not found are left as they are (the list leaves
 * out what no plugin described).
 */

/** An item naming an entity: a feed entry, a search hit. */
export interface EntityItem {
  entityType: string;
  entityId: number;
}

export async function describeEach<E extends EntityItem, R>(
  items: E[],
  type: string,
  load: (ids: number[]) => Promise<Map<number, R>>,
  describe: (item: E, row: R) => Partial<E>,
): Promise<E[]> {
  const mine = items.filter((e) => e.entityType === type);
  if (!mine.length) return items;
  const rows = await load([...new Set(mine.map((e) => e.entityId))]);
  for (const item of mine) {
    const row = rows.get(item.entityId);
    if (row !== undefined) Object.assign(item, describe(item, row));
  }
  return items;
}

/** Rows keyed by their `entity_id`, as `describeEach` wants them. */
export const byEntityId = <R extends { entity_id: number | string }>(rows: R[]): Map<number, R> => new Map(rows.map((r) => [Number(r.entity_id), r]));
