import { columnSearch, type EntitySearchDef } from '../../core';

/** Replies of a topic kept in its search text, the newest first beyond this many characters. */
const MAX_REPLIES_TEXT = 200_000;

const topicText = columnSearch('discussions', { table: 'discussion_topics', title: 'title', body: 'body' });

/**
 * What search keeps of a topic: its title, its opening post and its replies not deleted, so a
 * word said in a reply finds the thread (core/content/search.ts). Replies queue their topic
 * (`entities.textChanged`) when written, edited or deleted.
 */
export const topicSearch: EntitySearchDef = {
  tab: topicText.tab,
  async read(rt, ids) {
    const topics = await topicText.read(rt, ids);
    const replies = (await rt
      .db('discussion_replies')
      .whereIn('topic_id', ids)
      .whereNull('deleted_at')
      .orderBy('id', 'desc')
      .select('topic_id', 'body')) as {
      topic_id: number;
      body: string;
    }[];
    const said = new Map<number, string[]>();
    const size = new Map<number, number>();
    for (const r of replies) {
      const id = Number(r.topic_id);
      if ((size.get(id) ?? 0) > MAX_REPLIES_TEXT) continue;
      said.set(id, [...(said.get(id) ?? []), r.body]);
      size.set(id, (size.get(id) ?? 0) + r.body.length);
    }
    return topics.map((t) => ({ ...t, body: [t.body, ...(said.get(t.id) ?? []).reverse()].join('\n\n') }));
  },
};
