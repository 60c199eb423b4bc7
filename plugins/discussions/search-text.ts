import { columnSearch, piecesText, type EntitySearchDef } from '../../core';

const topicText = columnSearch('discussions', { table: 'discussion_topics', title: 'title', body: 'body' });

/**
 * What search keeps of a topic: its title, its opening post and its replies not deleted, so a
 * word said in a reply finds the thread (core/content/search.ts); a reply a moderator hid is left out. Replies queue their topic
 * (`entities.textChanged`) when written, edited or deleted.
 */
export const topicSearch: EntitySearchDef = {
  tab: topicText.tab,
  async read(rt, ids) {
    const topics = await topicText.read(rt, ids);
    // A long thread keeps its newest replies (about 200,000 characters).
    const said = await piecesText(rt.db, 'discussion_replies', 'topic_id', ids);
    return topics.map((t) => ({ ...t, body: [t.body, ...(said.get(t.id) ?? [])].join('\n\n') }));
  },
};
