/**
 * Search within one discussion: the opening post and the replies of a topic the viewer may
 * see that say every searched word (accents folded, a word's inflections too: the core's
 * `containsWords`), in thread order, each with a highlighted excerpt and a link to its place.
 * The search index finds the thread (its replies are in the topic's text); this page finds the
 * replies inside it, reading the thread's newest `READ_MAX` replies.
 */
import {
  avatarUrl,
  containsWords,
  highlightedExcerpt,
  link,
  plainTextOf,
  queryParam,
  queryWords,
  t,
  type ExcerptPart,
  type RouteResult,
  type RucheContext,
} from '../../core';
import { dateTime, replies as repliesOf, replyHref, visibleTopic } from './params';

/** Replies read per search, the newest of a very long thread. */
const READ_MAX = 5000;
/** Matches shown (the count says how many there are). */
const SHOW_MAX = 50;

interface Said {
  id: number | null;
  position: number;
  body: string;
  created_at: number;
  author_id: number;
  display_name: string;
  photo_key: string | null;
}

interface Match {
  href: string;
  author: string;
  avatar: string;
  at: { iso: string; text: string };
  opening: boolean;
  excerpt: ExcerptPart[];
}

export async function threadSearchPage(ctx: RucheContext): Promise<RouteResult> {
  const topic = await visibleTopic(ctx);
  const q = queryParam(ctx, 'q').slice(0, 200);
  const words = queryWords(q);
  const topicHref = link(ctx, 'discussions.view', { id: topic.id });
  const matches: Match[] = [];
  let count = 0;
  if (words.length) {
    const replies = await repliesOf(ctx).newestShown(topic.id, READ_MAX);
    const opening = { id: null, position: 0, body: topic.body, created_at: topic.created_at, author_id: topic.owner_id };
    // Names and photos through the core's people; what an account since deleted wrote is left out.
    const people = new Map(
      (await ctx.ruche.users.people([...new Set([topic.owner_id, ...replies.map((r) => Number(r.author_id))])])).map((p) => [p.id, p]),
    );
    const thread: Said[] = [opening, ...replies].flatMap((said) => {
      const person = people.get(Number(said.author_id));
      return person ? [{ ...said, display_name: person.display_name, photo_key: person.photo_key }] : [];
    });
    const reading = await repliesOf(ctx).reading(ctx, topic);
    for (const said of thread) {
      const text = plainTextOf(said.body);
      if (!containsWords(text, words)) continue;
      count++;
      if (matches.length >= SHOW_MAX) continue;
      matches.push({
        href:
          said.id === null
            ? `${topicHref}#topic-body`
            : await replyHref(ctx, topic, { id: Number(said.id), position: Number(said.position) }, reading),
        author: said.display_name,
        avatar: avatarUrl(ctx, { id: Number(said.author_id), photo_key: said.photo_key }, 64),
        at: dateTime(ctx, Number(said.created_at)),
        opening: said.id === null,
        excerpt: highlightedExcerpt(text, words),
      });
    }
  }
  const title = t(ctx, 'discussions.threadSearch.title', { title: topic.title });
  return {
    view: 'discussions/search',
    title,
    data: {
      pageTitle: title,
      topicTitle: topic.title,
      topicHref,
      action: link(ctx, 'discussions.search', { id: topic.id }),
      q,
      searched: words.length > 0,
      matches,
      countLabel: t(ctx, 'discussions.threadSearch.count', { count }),
      more: count > matches.length ? t(ctx, 'discussions.threadSearch.more', { shown: matches.length }) : null,
    },
  };
}
