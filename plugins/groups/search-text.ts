import type { EntitySearchDef } from '../../core';

/** What search keeps of a group: its name and description (core/content/search.ts). */
export const groupSearch: EntitySearchDef = {
  tab: 'groups',
  async read(rt, ids) {
    const rows = (await rt.db('groups').whereIn('entity_id', ids).select('entity_id', 'name', 'description', 'category')) as {
      entity_id: number;
      name: string;
      description: string;
      category: string;
    }[];
    return rows.map((r) => ({ id: Number(r.entity_id), title: r.name, body: r.description }));
  },
};
