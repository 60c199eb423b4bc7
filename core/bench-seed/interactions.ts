/**
 * What members do with the content: discussion replies (a few topics with 1,000+), comments
 * with one level of replies, likes and reactions. Each is written by someone who may see the
 * entity, after it exists, with the counters the plugins keep (comment_counts,
 * reaction_counts, the topics' reply_seq/reply_count/last_reply_id/last_activity_at).
 */
import { DAY } from './clock';
import { ACCESS, TYPE, type Planned } from './content';
import type { SeedContext } from './model';
import { shortReply } from './text';
import { renderMarkdown } from '../views/markdown';

/** Draws a member who may see entity k (never the owner when `others`), or null when nobody else may. */
export function audience(c: SeedContext, p: Planned, k: number): { size: number; draw: () => number } | null {
  const { members: m, groups: g, rng } = c;
  const access = ACCESS[p.access[k]];
  const owner = p.owner[k];
  const uniform = (list: readonly number[]) => ({ size: list.length, draw: () => list[rng.int(0, list.length - 1)] });
  if (access === 'private') return null;
  if (access === 'friends') return m.friends[owner].length ? uniform(m.friends[owner]) : null;
  if (access === 'group') {
    const gi = p.group[k] >= 0 ? p.group[k] : p.aux[k];
    return uniform(g.members[gi]);
  }
  if (access === 'network' && p.network[k] !== c.rootId) return uniform(c.subnets.members[c.subnets.id.indexOf(p.network[k])]);
  if (p.group[k] >= 0) {
    const list = g.members[p.group[k]];
    return { size: m.n, draw: () => (rng.chance(0.7) ? list[rng.int(0, list.length - 1)] : m.active.draw(rng)) };
  }
  return { size: m.n, draw: () => m.active.draw(rng) };
}

/** How many of `budget` items each entity gets: heavy-tailed weights times `factor(k)` (0: none), stochastic rounding. */
function spread(c: SeedContext, p: Planned, factor: (k: number) => number | boolean, budget: number): Int32Array {
  const weights = new Float64Array(p.n);
  let total = 0;
  for (let k = 0; k < p.n; k++) {
    const f = Number(factor(k));
    if (!f) continue;
    weights[k] = c.rng.pareto(1.2) * f;
    total += weights[k];
  }
  const counts = new Int32Array(p.n);
  if (!total) return counts;
  for (let k = 0; k < p.n; k++) if (weights[k]) counts[k] = Math.floor((budget * weights[k]) / total + c.rng.next());
  return counts;
}

/** Times after t0, ascending: a burst in the first days, then a slower tail. */
function timesAfter(c: SeedContext, t0: number, n: number, spanDays: number, tz: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = c.clock.after(c.rng, t0, (c.rng.chance(0.7) ? 0.1 : 1) * spanDays * DAY, tz);
  return out.sort();
}

export interface Replies {
  topic: Int32Array;
  author: Int32Array;
  at: Float64Array;
  /** Reply indexes in id order. */
  order: Uint32Array;
  firstId: number;
}

/** Plans every reply, numbers them in time order and fills the topics' counters. */
export function planReplies(c: SeedContext, p: Planned, firstId: number): Replies {
  const { members: m, clock } = c;
  const counts = spread(c, p, (k) => p.type[k] === TYPE.topic && !p.hot.includes(k), c.plan.replies);
  p.hot.forEach((k, i) => (counts[k] = c.plan.hotReplies[i]));
  let total = 0;
  for (let k = 0; k < p.n; k++) total += counts[k];
  const r: Replies = {
    topic: new Int32Array(total),
    author: new Int32Array(total),
    at: new Float64Array(total),
    order: new Uint32Array(total),
    firstId,
  };
  let i = 0;
  for (let k = 0; k < p.n; k++) {
    if (!counts[k]) continue;
    const who = audience(c, p, k)!;
    const hot = p.hot.includes(k);
    const times = hot
      ? spreadEvenly(c, p.at[k], Math.min(clock.end, p.at[k] + 200 * DAY), counts[k], m.tz[p.owner[k]])
      : timesAfter(c, p.at[k], counts[k], 10, m.tz[p.owner[k]]);
    for (let j = 0; j < counts[k]; j++, i++) {
      const author = who.draw();
      r.topic[i] = k;
      r.author[i] = author;
      r.at[i] = Math.min(clock.end, Math.max(times[j], m.joinAt[author] + 60_000));
    }
  }
  const at = r.at;
  for (let j = 0; j < total; j++) r.order[j] = j;
  r.order.sort((a, b) => at[a] - at[b] || a - b);
  for (let rank = 0; rank < total; rank++) {
    const j = r.order[rank];
    const k = r.topic[j];
    p.replyCount[k]++;
    p.lastReplyId[k] = firstId + rank;
    p.lastActivity[k] = Math.max(p.lastActivity[k], r.at[j]);
  }
  return r;
}

function spreadEvenly(c: SeedContext, lo: number, hi: number, n: number, tz: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = c.clock.at(c.rng, lo + 60_000, hi, tz);
  return out.sort();
}

/** Writes replies in id order, numbered by position inside their topic, with revisions and subscriptions. */
export async function writeReplies(c: SeedContext, p: Planned, r: Replies): Promise<void> {
  const { members: m, writer, activity } = c;
  const html = new Map<string, string>();
  const replies = writer.table('discussion_replies', ['id', 'topic_id', 'position', 'author_id', 'body', 'body_html', 'created_at']);
  const revisions = writer.table('discussion_revisions', ['topic_id', 'reply_id', 'title', 'body', 'editor_id', 'created_at']);
  const subscriptions = writer.table('discussion_subscriptions', ['topic_id', 'user_id', 'active', 'created_at']);
  const position = new Map<number, number>();
  const subscribed = new Set<string>();
  for (let rank = 0; rank < r.order.length; rank++) {
    const j = r.order[rank];
    const k = r.topic[j];
    const id = r.firstId + rank;
    const topicId = p.id[k];
    const author = r.author[j];
    const at = r.at[j];
    const pos = (position.get(k) ?? 0) + 1;
    position.set(k, pos);
    const body = shortReply(c.rng);
    let h = html.get(body);
    if (h === undefined) html.set(body, (h = renderMarkdown(body)));
    if (replies.add([id, topicId, pos, m.id[author], body, h, at])) await replies.flush();
    if (revisions.add([topicId, id, null, body, m.id[author], at])) await revisions.flush();
    const key = `${k}:${author}`;
    if (author !== p.owner[k] && !subscribed.has(key)) {
      subscribed.add(key);
      if (subscriptions.add([topicId, m.id[author], true, at])) await subscriptions.flush();
    }
    activity.add('replied', m.id[author], topicId, p.network[k], id, at);
  }
  for (const t of [replies, revisions, subscriptions]) await t.close();
}

/** Comments on status and blog posts (a quarter are replies to an earlier comment), and comment_counts. */
export async function writeComments(c: SeedContext, p: Planned, firstId: number): Promise<Int32Array> {
  const { members: m, rng, clock, writer, activity } = c;
  const counts = spread(c, p, (k) => (p.type[k] === TYPE.status || p.type[k] === TYPE.blog) && audience(c, p, k) !== null, c.plan.comments);
  let total = 0;
  for (let k = 0; k < p.n; k++) total += counts[k];
  const ent = new Int32Array(total);
  const author = new Int32Array(total);
  const at = new Float64Array(total);
  const parent = new Int32Array(total).fill(-1);
  let i = 0;
  for (let k = 0; k < p.n; k++) {
    if (!counts[k]) continue;
    const who = audience(c, p, k)!;
    const times = timesAfter(c, p.at[k], counts[k], p.type[k] === TYPE.blog ? 5 : 2, m.tz[p.owner[k]]);
    const tops: number[] = [];
    for (let j = 0; j < counts[k]; j++, i++) {
      const a = rng.chance(0.15) ? p.owner[k] : who.draw();
      ent[i] = k;
      author[i] = a;
      at[i] = Math.min(clock.end, Math.max(times[j], m.joinAt[a] + 60_000, j ? at[i - 1] : 0));
      if (tops.length && rng.chance(0.25)) parent[i] = tops[rng.int(0, tops.length - 1)];
      else tops.push(i);
    }
  }
  const order = new Uint32Array(total);
  for (let j = 0; j < total; j++) order[j] = j;
  order.sort((a, b) => at[a] - at[b] || a - b);
  const idOf = new Int32Array(total);
  for (let rank = 0; rank < total; rank++) idOf[order[rank]] = firstId + rank;
  const comments = writer.table('comments', ['id', 'entity_id', 'network_id', 'author_id', 'parent_id', 'body', 'created_at']);
  for (const j of order) {
    const k = ent[j];
    if (comments.add([idOf[j], p.id[k], p.network[k], m.id[author[j]], parent[j] >= 0 ? idOf[parent[j]] : null, shortReply(rng), at[j]]))
      await comments.flush();
    activity.add('commented', m.id[author[j]], p.id[k], p.network[k], idOf[j], at[j]);
  }
  await comments.close();
  const countRows = writer.table('comment_counts', ['entity_id', 'n']);
  for (let k = 0; k < p.n; k++) if (counts[k] && countRows.add([p.id[k], counts[k]])) await countRows.flush();
  await countRows.close();
  return counts;
}

const REACTIONS = ['like', 'love', 'celebrate', 'insightful', 'laugh', 'support'] as const;
const REACTION_WEIGHTS = [70, 10, 8, 6, 4, 2] as const;

/** One reaction per member per entity (mostly "like"), never by the owner, and reaction_counts. */
export async function writeLikes(c: SeedContext, p: Planned): Promise<number> {
  const { members: m, rng, clock, writer, activity } = c;
  // "Joined" and "connected" events are liked now and then; posts, articles and topics much more.
  const counts = spread(
    c,
    p,
    (k) => (p.type[k] === TYPE.group || audience(c, p, k) === null ? 0 : p.type[k] === TYPE.membership || p.type[k] === TYPE.connection ? 0.05 : 1),
    c.plan.likes,
  );
  const reactions = writer.table('reactions', ['entity_id', 'user_id', 'reaction', 'network_id', 'created_at']);
  const countRows = writer.table('reaction_counts', ['entity_id', 'reaction', 'n']);
  let total = 0;
  for (let k = 0; k < p.n; k++) {
    if (!counts[k]) continue;
    const who = audience(c, p, k)!;
    const want = Math.min(counts[k], who.size - 1);
    const seen = new Set<number>();
    for (let tries = 0; seen.size < want && tries < want * 10 + 20; tries++) {
      const a = who.draw();
      if (a !== p.owner[k]) seen.add(a);
    }
    const per = new Map<string, number>();
    for (const a of seen) {
      const reaction = rng.weighted(REACTIONS, REACTION_WEIGHTS);
      const at = Math.min(clock.end, Math.max(clock.after(rng, p.at[k], 2 * DAY, m.tz[a]), m.joinAt[a] + 60_000));
      per.set(reaction, (per.get(reaction) ?? 0) + 1);
      if (reactions.add([p.id[k], m.id[a], reaction, p.network[k], at])) await reactions.flush();
      activity.add('liked', m.id[a], p.id[k], p.network[k], null, at);
      total++;
    }
    for (const [reaction, n] of per) if (countRows.add([p.id[k], reaction, n])) await countRows.flush();
  }
  await reactions.close();
  await countRows.close();
  return total;
}
