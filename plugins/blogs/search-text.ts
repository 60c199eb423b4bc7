import type { EntitySearchDef } from '../../core';

/** What search keeps of a blog post: title and Markdown body (core/content/search.ts). */
export const blogSearch: EntitySearchDef = {
  tab: 'blogs',
  async read(rt, ids) {
    const rows = (await rt.db('blog_posts').whereIn('entity_id', ids).select('entity_id', 'title', 'body')) as {
      entity_id: number;
      title: string;
      body: string;
    }[];
    return rows.map((r) => ({ id: Number(r.entity_id), title: r.title, body: r.body }));
  },
};
