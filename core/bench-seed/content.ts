/**
 * Every entity of the bench network — "joined" memberships, connections, groups, status
 * posts, blog posts and topics — planned in memory, numbered in time order, then written
 * with their plugin rows, tags, mentions and the activity the app records for them.
 */
import { extractHashtags } from '../content/tags';
import { renderMarkdown } from '../views/markdown';
import { excerptOf } from '../../plugins/blogs/service';
import { handleOf } from '../../plugins/groups/service';
import { DAY } from './clock';
import type { Connections } from './graph';
import { joinedGroupAt, type SeedContext } from './model';
import { TAGS, paragraph, sentence, title } from './text';

export const TYPE = { membership: 0, connection: 1, group: 2, status: 3, blog: 4, topic: 5 } as const;
export const TYPE_NAMES = ['membership', 'connection', 'group', 'status', 'blog_post', 'topic'] as const;
export const ACCESS = ['private', 'friends', 'group', 'network', 'members', 'public'] as const;
const A = { private: 0, friends: 1, group: 2, network: 3, members: 4, public: 5 } as const;

/** The planned entities, by plan index; `id` is known after numbering. */
export interface Planned {
  n: number;
  type: Uint8Array;
  owner: Int32Array;
  /** Group index, or -1. */
  group: Int32Array;
  network: Int32Array;
  access: Uint8Array;
  at: Float64Array;
  /** Connections: the member who asked; groups: the group index. */
  aux: Int32Array;
  id: Int32Array;
  /** Plan indexes in id order. */
  order: Uint32Array;
  /** Plan indexes of the topics that get 1,000+ replies. */
  hot: number[];
  /** Reply statistics of topics (filled by interactions.ts before the entities are written). */
  replyCount: Int32Array;
  lastReplyId: Int32Array;
  lastActivity: Float64Array;
}

export function planEntities(c: SeedContext, conns: Connections, firstId: number): Planned {
  const { members: m, groups: g, rng, clock, plan } = c;
  const content = plan.entities - m.n - g.n - conns.from.length;
  const blogs = Math.min(plan.blogs, Math.floor(content / 4));
  const topics = Math.min(plan.topics, Math.floor(content / 4));
  const statuses = content - blogs - topics;
  const n = plan.entities;
  const p: Planned = {
    n,
    type: new Uint8Array(n),
    owner: new Int32Array(n),
    group: new Int32Array(n).fill(-1),
    network: new Int32Array(n).fill(c.rootId),
    access: new Uint8Array(n),
    at: new Float64Array(n),
    aux: new Int32Array(n).fill(-1),
    id: new Int32Array(n),
    order: new Uint32Array(n),
    hot: [],
    replyCount: new Int32Array(n),
    lastReplyId: new Int32Array(n),
    lastActivity: new Float64Array(n),
  };
  let k = 0;
  for (let i = 0; i < m.n; i++, k++) set(p, k, TYPE.membership, i, A.network, m.joinAt[i]);
  for (let j = 0; j < conns.from.length; j++, k++) {
    set(p, k, TYPE.connection, conns.to[j], A.members, conns.at[j]);
    p.aux[k] = conns.from[j];
  }
  for (let j = 0; j < g.n; j++, k++) {
    set(p, k, TYPE.group, g.owner[j], g.visibility[j] === 'secret' ? A.group : A.network, g.createdAt[j]);
    p.aux[k] = j;
  }
  for (let j = 0; j < plan.hotReplies.length && j < topics; j++, k++) {
    // The long topics: in the network, for members, started in the first half of the three years.
    const owner = m.active.draw(rng);
    set(p, k, TYPE.topic, owner, A.members, clock.at(rng, m.joinAt[owner], m.joinAt[owner] + (clock.end - m.joinAt[owner]) / 2, m.tz[owner]));
    p.hot.push(k);
  }
  const kinds: [number, number][] = [
    [TYPE.status, statuses],
    [TYPE.blog, blogs],
    [TYPE.topic, topics - p.hot.length],
  ];
  for (const [type, count] of kinds) for (let j = 0; j < count; j++, k++) placeContent(c, p, k, type);
  if (k !== n) throw new Error(`bench seed: planned ${k} entities instead of ${n}`);
  const at = p.at;
  for (let i = 0; i < n; i++) p.order[i] = i;
  p.order.sort((a, b) => at[a] - at[b] || a - b);
  for (let r = 0; r < n; r++) p.id[p.order[r]] = firstId + r;
  for (let j = 0; j < n; j++) if (p.type[j] === TYPE.group) g.entityId[p.aux[j]] = p.id[j];
  for (let j = 0; j < n; j++) p.lastActivity[j] = p.at[j];
  return p;
}

function set(p: Planned, k: number, type: number, owner: number, access: number, at: number): void {
  p.type[k] = type;
  p.owner[k] = owner;
  p.access[k] = access;
  p.at[k] = at;
}

/** Where a post goes (a group of the owner, a sub-network, or the network) and for whom. */
function placeContent(c: SeedContext, p: Planned, k: number, type: number): void {
  const { members: m, groups: g, rng, clock } = c;
  const owner = m.active.draw(rng);
  let lo = m.joinAt[owner];
  let access: number;
  const r = rng.next();
  const mine = m.groups[owner];
  if (mine.length && r < 0.3) {
    const gi = mine[rng.int(0, mine.length - 1)];
    p.group[k] = gi;
    access = g.visibility[gi] === 'open' ? A.network : A.group;
    lo = joinedGroupAt(c, owner, gi);
  } else if (type === TYPE.status && m.subnets[owner].length && r < 0.4) {
    p.network[k] = c.subnets.id[m.subnets[owner][0]];
    access = A.network;
  } else if (type === TYPE.status) {
    access = rng.weighted([A.members, A.network, A.public, A.friends, A.private], [45, 30, 5, m.friends[owner].length ? 15 : 0, 3]);
  } else if (type === TYPE.blog) {
    access = rng.weighted([A.members, A.network, A.public, A.friends], [40, 30, 20, m.friends[owner].length ? 10 : 0]);
  } else {
    access = rng.weighted([A.members, A.network, A.public], [60, 30, 10]);
  }
  set(p, k, type, owner, access, clock.at(rng, lo + 60_000, clock.end, m.tz[owner]));
}

/** Rendered Markdown of the few distinct bodies the seed writes (rendering costs ~0.3 ms). */
class Bodies {
  private readonly cache = new Map<string, { html: string; excerpt: string }>();
  readonly paragraphs: string[];

  constructor(c: SeedContext, count: number) {
    this.paragraphs = Array.from({ length: count }, () => paragraph(c.rng, c.rng.int(2, 4)));
  }

  render(body: string): { html: string; excerpt: string } {
    let out = this.cache.get(body);
    if (!out) {
      const html = renderMarkdown(body);
      out = { html, excerpt: excerptOf(html) };
      if (this.cache.size < 20_000) this.cache.set(body, out);
    }
    return out;
  }
}

export async function writeEntities(c: SeedContext, p: Planned): Promise<void> {
  const { members: m, groups: g, rng, writer, activity } = c;
  const bodies = new Bodies(c, 40);
  const w = (name: string, cols: string[]) => writer.table(name, cols);
  const entities = w('entities', ['id', 'type', 'owner_id', 'container_id', 'network_id', 'access', 'created_at', 'updated_at']);
  const groups = w('groups', [
    'entity_id',
    'network_id',
    'name',
    'name_lower',
    'handle',
    'description',
    'description_html',
    'category',
    'visibility',
    'created_at',
    'updated_at',
  ]);
  const statuses = w('status_posts', ['entity_id', 'body']);
  const mentions = w('mentions', ['entity_id', 'user_id']);
  const tags = w('entity_tags', ['entity_id', 'tag']);
  const blogs = w('blog_posts', ['entity_id', 'title', 'body', 'body_html', 'excerpt', 'status', 'published_at']);
  const blogRevisions = w('blog_revisions', ['entity_id', 'title', 'body', 'editor_id', 'created_at']);
  const topics = w('discussion_topics', [
    'entity_id',
    'network_id',
    'container_id',
    'title',
    'body',
    'body_html',
    'excerpt',
    'locked',
    'pinned',
    'reply_seq',
    'reply_count',
    'last_reply_id',
    'last_activity_at',
  ]);
  const topicRevisions = w('discussion_revisions', ['topic_id', 'reply_id', 'title', 'body', 'editor_id', 'created_at']);
  const subscriptions = w('discussion_subscriptions', ['topic_id', 'user_id', 'active', 'created_at']);
  const reads = w('topic_reads', ['user_id', 'topic_id', 'last_read_reply_id', 'read_at']);
  const handles = new Set<string>((await writer.trx('groups').where({ network_id: c.rootId }).pluck('handle')) as string[]);
  const add = async (t: ReturnType<typeof w>, row: unknown[]) => {
    if (t.add(row)) await t.flush();
  };
  for (const k of p.order) {
    const id = p.id[k];
    const owner = p.owner[k];
    const ownerId = m.id[owner];
    const at = p.at[k];
    const net = p.network[k];
    const type = p.type[k];
    const gi = p.group[k];
    const container = type === TYPE.group ? (g.visibility[p.aux[k]] === 'secret' ? id : null) : gi >= 0 ? g.entityId[gi] : null;
    await add(entities, [id, TYPE_NAMES[type], ownerId, container, net, ACCESS[p.access[k]], at, at]);
    if (type === TYPE.membership) activity.add('joined', ownerId, id, net, null, at);
    else if (type === TYPE.connection) activity.add('connected', ownerId, id, net, m.id[p.aux[k]], at);
    else if (type === TYPE.group) {
      const j = p.aux[k];
      const name = g.name[j];
      let handle = handleOf(name);
      for (let s = 2; handles.has(handle); s++) handle = `${handleOf(name)}-${s}`;
      handles.add(handle);
      const description = bodies.paragraphs[rng.int(0, bodies.paragraphs.length - 1)];
      await add(groups, [
        id,
        net,
        name,
        name.toLowerCase(),
        handle,
        description,
        bodies.render(description).html,
        rng.chance(0.6) ? 'business' : 'social',
        g.visibility[j],
        at,
        at,
      ]);
      if (g.visibility[j] === 'open') activity.add('created', ownerId, id, net, null, at);
    } else if (type === TYPE.status) {
      let body = sentence(rng);
      if (rng.chance(0.2)) body += ` #${rng.pick(TAGS)}`;
      const friends = m.friends[owner];
      const mentioned = friends.length && rng.chance(0.1) ? friends[rng.int(0, friends.length - 1)] : -1;
      if (mentioned >= 0) body = `@${m.username[mentioned]} ${body}`;
      await add(statuses, [id, body]);
      for (const tag of extractHashtags(body)) await add(tags, [id, tag]);
      if (mentioned >= 0) await add(mentions, [id, m.id[mentioned]]);
      activity.add('posted', ownerId, id, net, null, at);
    } else if (type === TYPE.blog) {
      const t = title(rng);
      const body = `${rng.pick(bodies.paragraphs)}\n\n${rng.pick(bodies.paragraphs)}`;
      const r = bodies.render(body);
      await add(blogs, [id, t, body, r.html, r.excerpt, 'published', at]);
      await add(blogRevisions, [id, t, body, ownerId, at]);
      for (const tag of someTags(c)) await add(tags, [id, tag]);
      activity.add('published', ownerId, id, net, null, at);
    } else {
      const t = p.hot.includes(k) ? `${title(rng)} (the long thread)` : `${title(rng)}?`;
      const body = rng.pick(bodies.paragraphs);
      const r = bodies.render(body);
      const n = p.replyCount[k];
      await add(topics, [id, net, container, t, body, r.html, r.excerpt, false, false, n, n, n ? p.lastReplyId[k] : null, p.lastActivity[k]]);
      await add(topicRevisions, [id, null, t, body, ownerId, at]);
      await add(subscriptions, [id, ownerId, true, at]);
      await add(reads, [ownerId, id, 0, at]);
      for (const tag of someTags(c).slice(0, 2)) await add(tags, [id, tag]);
      activity.add('started', ownerId, id, net, null, at);
    }
  }
  for (const t of [entities, groups, statuses, mentions, tags, blogs, blogRevisions, topics, topicRevisions, subscriptions, reads]) await t.close();
}

function someTags(c: SeedContext): string[] {
  const n = c.rng.int(0, 3);
  const out = new Set<string>();
  while (out.size < n) out.add(c.rng.pick(TAGS));
  return [...out];
}

/** Within `days` of `t0`. */
export const soonAfter = (c: SeedContext, t0: number, days: number, tz: number): number => c.clock.after(c.rng, t0, days * DAY, tz);
