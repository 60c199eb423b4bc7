/**
 * A topic as one reader reads it (issue 22): a reply a moderator hid is its author's and the
 * network's moderators' only (core `PieceReader`), so the reader's replies are numbered without
 * the ones hidden from them. One statement reads the topic's withheld replies (few or none,
 * through the partial index of migration 003); from them come the reader's count of replies,
 * their number of pages and each reply's rank, and the page statement (replies.ts `PAGE`)
 * applies the rule itself and starts past the replies before the page: a page is full.
 */
import type { Knex } from 'knex';
import {
  activeViewer,
  pieceReader,
  pieceSeen,
  pieceSeenBindings,
  preparedRead,
  readerSeesPiece,
  withheldSeenCount,
  withheldSeenFrom,
  type PieceReader,
  type RucheContext,
} from '../../core';
import type { TopicRow } from './service';

const WITHHELD = preparedRead<{ position: number | string; author_id: number | string; deleted_at: number | string | null }>(
  'select position, author_id, deleted_at from discussion_replies where topic_id = ? and withheld order by position',
);
const ACCEPTED = preparedRead<{ id: number | string; position: number | string }>(
  `select r.id, r.position from discussion_replies as r where r.id = ? and r.deleted_at is null and ${pieceSeen('r')}`,
);

export interface TopicReading {
  reader: PieceReader;
  /** The positions of the replies hidden from the reader, in order. */
  hidden: number[];
  /** The topic's live replies the reader sees: the counter (nobody's withheld ones) and their own or, for a moderator, all withheld ones. */
  count: number;
}

/** The reader of the topics of the request's network. */
export const readerFor = (ctx: RucheContext, networkId: number): PieceReader => pieceReader(ctx.ruche, activeViewer(ctx), networkId);

/** `withheld`: how many replies of the topic are withheld, when known (none: nothing to read). */
export async function readingOf(
  db: Knex,
  topic: Pick<TopicRow, 'id' | 'reply_count'>,
  reader: PieceReader,
  withheld?: number,
): Promise<TopicReading> {
  const hidden: number[] = [];
  let seen = 0;
  for (const r of withheld === 0 ? [] : await WITHHELD.all(db, [topic.id])) {
    if (!readerSeesPiece(reader, { withheld: true, authorId: Number(r.author_id) })) hidden.push(Number(r.position));
    else if (r.deleted_at === null) seen++;
  }
  return { reader, hidden, count: Number(topic.reply_count) + seen };
}

/** The reader's number of a reply: its position less the replies hidden from them before it. */
export function rankOf(reading: TopicReading, position: number): number {
  let before = 0;
  for (const h of reading.hidden) if (h < position) before++;
  return position - before;
}

/** The reader's pages of the topic, `size` replies each (positions run 1 to `reply_seq`). */
export const pagesOf = (topic: Pick<TopicRow, 'reply_seq'>, reading: TopicReading, size: number): number =>
  Math.max(1, Math.ceil((topic.reply_seq - reading.hidden.length) / size));

/**
 * The position after which the reader's page `page` starts: that of the last reply they see on
 * the pages before (each reply hidden from them before it moves it one further).
 */
export function pageStart(reading: TopicReading, page: number, size: number): number {
  let start = (page - 1) * size;
  for (const h of reading.hidden) if (h <= start) start++;
  return start;
}

/** The topic's accepted answer when the reader sees it (never a link to a reply hidden from them). */
export async function acceptedOf(
  db: Knex,
  topic: Pick<TopicRow, 'accepted_reply_id'>,
  reading: TopicReading,
): Promise<{ id: number; position: number } | undefined> {
  if (topic.accepted_reply_id === null) return undefined;
  const r = await ACCEPTED.first(db, [topic.accepted_reply_id, ...pieceSeenBindings(reading.reader)]);
  return r ? { id: Number(r.id), position: Number(r.position) } : undefined;
}

/** The live withheld replies of topic `d` the reader sees (core `withheldSeenFrom`): two placeholders, `pieceSeenBindings`. */
const WITHHELD_SEEN: Parameters<typeof withheldSeenFrom> = ['discussion_replies', 'topic_id', 'd.entity_id'];

/**
 * A topic list's `reply_count` (topics `d`) as the reader counts it: the counter, and the withheld
 * replies they see (their own, all of them for a moderator; none for a guest), through the partial index.
 */
export function replyCountFor(db: Knex, reader: PieceReader): Knex.Raw | string {
  if (!reader.id) return 'd.reply_count';
  return db.raw(`(d.reply_count + ${withheldSeenCount(...WITHHELD_SEEN)}) as reply_count`, pieceSeenBindings(reader));
}

/**
 * The "unanswered" filter of a topic list (topics `d`) as the reader counts replies
 * (`replyCountFor`): no accepted answer, and no live reply they see — a topic whose only reply a
 * moderator hid is unanswered for the others, answered for its author and the moderators.
 */
export function unansweredFor(db: Knex, reader: PieceReader): (q: Knex.QueryBuilder) => void {
  return (q) => {
    q.whereNull('d.accepted_reply_id').where('d.reply_count', 0);
    if (reader.id) q.whereRaw(`not exists (select 1 ${withheldSeenFrom(...WITHHELD_SEEN)})`, pieceSeenBindings(reader));
  };
}
