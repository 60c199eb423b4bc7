import type { EntitySearchDef } from '../../core';

/** What search keeps of a status post: its text (core/content/search.ts). */
export const statusSearch: EntitySearchDef = {
  tab: 'posts',
  async read(rt, ids) {
    const rows = (await rt.db('status_posts').whereIn('entity_id', ids).select('entity_id', 'body')) as { entity_id: number; body: string }[];
    return rows.map((r) => ({ id: Number(r.entity_id), title: '', body: r.body }));
  },
};
