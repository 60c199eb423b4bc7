import type { EntitySearchDef } from '../../core';

/** Replies of a topic kept in its search text, the newest first beyond this many characters. */
const MAX_REPLIES_TEXT = 200_000;

/**
 * What search keeps of a topic: its title, its opening post and its replies not deleted, so a
 * word said in a reply finds the thread (core/content/search.ts). Replies queue their topic
 * (`entities.textChanged`) when written, edited or deleted.
 */
export const topicSearch: EntitySearchDef = {
  tab: 'discussions',
  async read(rt, ids) {
    const topics = (await rt.db('discussion_topics').whereIn('entity_id', ids).select('entity_id', 'title', 'body')) as {
      entity_id: number;
      title: string;
      body: string;
    }[];
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
    return topics.map((t) => ({
      id: Number(t.entity_id),
      title: t.title,
      body: [t.body, ...(said.get(Number(t.entity_id)) ?? []).reverse()].join('\n\n'),
    }));
  },
};
