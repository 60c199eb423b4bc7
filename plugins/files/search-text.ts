import type { EntitySearchDef } from '../../core';

/** What search keeps of a file: its name (words split at dots, dashes and underscores) and caption (core/content/search.ts). */
export const fileSearch: EntitySearchDef = {
  tab: 'files',
  async read(rt, ids) {
    const rows = (await rt.db('files_items').whereIn('entity_id', ids).select('entity_id', 'name', 'caption')) as {
      entity_id: number;
      name: string;
      caption: string | null;
    }[];
    return rows.map((r) => ({ id: Number(r.entity_id), title: r.name, body: r.caption ?? '', keywords: r.name.replace(/[._-]+/g, ' ') }));
  },
};
