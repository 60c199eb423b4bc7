import { latestTextById, type AttachedSearchDef } from '../../core';

/**
 * What search keeps of the comments: the live comments under each `commentable` entity,
 * indexed with it, so a word said in a comment finds the post with the post's own access
 * (core/content/search.ts). Writing, editing, hiding and deleting a comment queue its entity; a hidden one is left out.
 */
export const commentsSearch: AttachedSearchDef = {
  trait: 'commentable',
  async read(rt, ids) {
    const rows = (await rt
      .db('comments')
      .whereIn('entity_id', ids)
      .whereNull('deleted_at')
      .where({ withheld: false })
      .orderBy('id', 'desc')
      .select('entity_id', 'body')) as {
      entity_id: number;
      body: string;
    }[];
    // A long thread keeps its newest comments (about 200,000 characters).
    const said = latestTextById(rows.map((r) => ({ id: Number(r.entity_id), text: r.body })));
    return new Map([...said].map(([id, list]) => [id, list.join('\n\n')]));
  },
};
