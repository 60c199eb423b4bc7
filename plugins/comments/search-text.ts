import { piecesText, type AttachedSearchDef } from '../../core';

/**
 * What search keeps of the comments: the live comments under each `commentable` entity,
 * indexed with it, so a word said in a comment finds the post with the post's own access
 * (core/content/search.ts). Writing, editing, hiding and deleting a comment queue its entity; a hidden one is left out.
 */
export const commentsSearch: AttachedSearchDef = {
  trait: 'commentable',
  async read(rt, ids) {
    // A long thread keeps its newest comments (about 200,000 characters).
    const said = await piecesText(rt.db, 'comments', 'entity_id', ids);
    return new Map([...said].map(([id, list]) => [id, list.join('\n\n')]));
  },
};
