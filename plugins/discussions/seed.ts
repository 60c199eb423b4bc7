/**
 * The discussions plugin's seeder (manifest `seed`). Bench: topics (a few with 1,000+
 * replies) in groups or the network, their replies numbered in time order with revisions,
 * subscriptions and reads, and the counters the plugin keeps (reply_seq, reply_count,
 * last_reply_id, last_activity_at); the first and last pages of a long topic.
 */
import {
  A,
  audience,
  DAY,
  defineSeeder,
  entityRows,
  placeContent,
  shortReply,
  someOf,
  spread,
  TAGS,
  timesAfter,
  title,
  type BenchSeed,
  type DemoSeed,
} from '../../seeding';
import { excerptOf, renderMarkdown } from '../../core';
import { TOPIC, newTopicRow } from './service';

/** One bench seed's topics and replies. */
interface State {
  kind: number;
  /** Plan indexes of the topics that get 1,000+ replies. */
  hot: number[];
  replyCount: Int32Array;
  lastReplyId: Int32Array;
  lastActivity: Float64Array;
  replies: { topic: Int32Array; author: Int32Array; at: Float64Array; order: Uint32Array; firstId: number };
}

export const seeder = defineSeeder({
  bench: () => {
    const s = {} as State;
    return {
      plan(b) {
        const { members: m, rng, clock, entities: p } = b;
        s.kind = p.register({ type: TOPIC, rows: topicRows(b, s), likes: 1 });
        s.hot = [];
        const topics = b.content.topics;
        for (let j = 0; j < b.plan.hotReplies.length && j < topics; j++) {
          // The long topics: in the network, for members, started in the first half of the three years.
          const owner = m.active.draw(rng);
          const at = clock.at(rng, m.joinAt[owner], m.joinAt[owner] + (clock.end - m.joinAt[owner]) / 2, m.tz[owner]);
          s.hot.push(p.add(s.kind, owner, A.members, at));
        }
        const levels = [
          [A.members, 60],
          [A.network, 30],
          [A.public, 10],
        ] as const;
        for (let j = s.hot.length; j < topics; j++) placeContent(b, s.kind, false, levels);
      },

      async prepare(b) {
        await planReplies(b, s);
      },

      async write(b) {
        await writeReplies(b, s);
        b.count('replies', s.replies.order.length);
      },

      targets(b) {
        const hot = s.hot[0];
        const setting = Number(b.rt.pluginState.settings('discussions', b.rootId).repliesPerPage);
        const perPage = Number.isInteger(setting) && setting >= 5 && setting <= 100 ? setting : 20;
        const lastPage = Math.max(1, Math.ceil(s.replyCount[hot] / perPage));
        const topic = `/discussions/${b.entities.id[hot]}`;
        b.page(40, 'topic first page', topic);
        b.page(50, 'topic last page', `${topic}${lastPage > 1 ? `?page=${lastPage}` : ''}`);
      },
    };
  },

  demo: () => ({
    /** A question with an accepted answer, and an open discussion. */
    async content(d: DemoSeed) {
      const t = d.t;
      const topics = [
        {
          author: 20,
          days: 12,
          title: t('How do I book a meeting room in another office?', 'Comment réserver une salle de réunion dans un autre bureau ?'),
          body: t(
            'I am in Lyon next week and need a room for six people. Is there a tool, or do I ask someone on site?',
            'Je suis à Lyon la semaine prochaine et il me faut une salle pour six ' +
              'personnes. Il y a un outil, ou faut-il demander à quelqu’un sur place ?',
          ),
          replies: [
            [3, t('I think you have to email the office manager.', 'Je crois qu’il faut écrire à la responsable du site.')],
            [
              11,
              t(
                'Use the room calendar: every office is listed, and you can book up to 30 days ahead. Pick "Lyon — 3rd floor" for six people.',
                'Utilisez le calendrier des salles : chaque bureau y est, et on peut réserver ' +
                  'jusqu’à 30 jours à l’avance. Choisissez « Lyon — 3e étage » pour six personnes.',
              ),
            ],
            [20, t('Found it, booked. Thanks!', 'Trouvé et réservé. Merci !')],
            [30, t('Good to know, I did not know about it either.', 'Bon à savoir, je ne le connaissais pas non plus.')],
          ] as [number, string][],
          accepted: 2,
        },
        {
          author: 8,
          days: 4,
          title: t('Which tool for our team retrospectives?', 'Quel outil pour nos rétrospectives d’équipe ?'),
          body: t(
            'We tried sticky notes on video calls and it does not work across three time zones. Ideas?',
            'Nous avons essayé les post-it en visio et ça ne marche pas sur trois fuseaux horaires. Des idées ?',
          ),
          replies: [
            [
              50,
              t(
                'We run ours asynchronously: a shared page open for 48 hours, then a short call.',
                'Nous faisons les nôtres en asynchrone : une page partagée ouverte 48 heures, puis un court appel.',
              ),
            ],
            [21, t('Same in Montréal, it works well.', 'Pareil à Montréal, ça marche bien.')],
          ] as [number, string][],
          accepted: 0,
        },
      ];
      for (const topic of topics) {
        const author = d.staff[topic.author];
        const at = d.ago(topic.days);
        const id = await d.entity({ type: TOPIC, owner: author.id, access: 'members', at });
        let last = 0;
        let lastAt = at;
        let accepted: number | null = null;
        await d.db('discussion_topics').insert(newTopicRow(id, d.rootId, null, topic, at));
        await d
          .db('discussion_revisions')
          .insert({ topic_id: id, reply_id: null, title: topic.title, body: topic.body, editor_id: author.id, created_at: at });
        await d.db('discussion_subscriptions').insert({ topic_id: id, user_id: author.id, active: true, created_at: at });
        await d.activity('started', author.id, id, d.rootId, null, at);
        const subscribed = new Set([author.id]);
        for (const [position, [who, body]] of topic.replies.entries()) {
          const replier = d.staff[who];
          lastAt = at + (position + 1) * 5 * 3_600_000;
          last = await d.insertId('discussion_replies', {
            topic_id: id,
            position: position + 1,
            author_id: replier.id,
            body,
            body_html: renderMarkdown(body),
            created_at: lastAt,
          });
          if (position + 1 === topic.accepted) accepted = last;
          await d.db('discussion_revisions').insert({ topic_id: id, reply_id: last, title: null, body, editor_id: replier.id, created_at: lastAt });
          if (!subscribed.has(replier.id))
            await d.db('discussion_subscriptions').insert({ topic_id: id, user_id: replier.id, active: true, created_at: lastAt });
          subscribed.add(replier.id);
          await d.activity('replied', replier.id, id, d.rootId, last, lastAt);
        }
        const n = topic.replies.length;
        await d
          .db('discussion_topics')
          .where({ entity_id: id })
          .update({ reply_seq: n, reply_count: n, last_reply_id: last || null, last_activity_at: lastAt, accepted_reply_id: accepted });
        d.posts.push({ id, type: TOPIC, owner: author.id, networkId: d.rootId, audience: d.staff.map((p) => p.id), at, commentable: false });
      }
      d.count('discussions', topics.length);
    },
  }),
});

const topicRows = (b: BenchSeed, s: State) =>
  entityRows(
    b,
    {
      discussion_topics: [
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
      ],
      discussion_revisions: ['topic_id', 'reply_id', 'title', 'body', 'editor_id', 'created_at'],
      discussion_subscriptions: ['topic_id', 'user_id', 'active', 'created_at'],
      topic_reads: ['user_id', 'topic_id', 'last_read_reply_id', 'read_at'],
      entity_tags: ['entity_id', 'tag'],
    },
    async (k, put) => {
      const { entities: p, members: m, groups: g, rng } = b;
      const id = p.id[k];
      const at = p.at[k];
      const owner = m.id[p.owner[k]];
      const container = p.group[k] >= 0 ? g.entityId[p.group[k]] : null;
      const t = s.hot.includes(k) ? `${title(rng)} (the long thread)` : `${title(rng)}?`;
      const body = rng.pick(b.bodies.paragraphs);
      const r = b.bodies.render(body, excerptOf);
      const n = s.replyCount[k];
      const row = [id, p.network[k], container, t, body, r.html, r.excerpt, false, false, n, n, n ? s.lastReplyId[k] : null, s.lastActivity[k]];
      await put('discussion_topics', row);
      await put('discussion_revisions', [id, null, t, body, owner, at]);
      await put('discussion_subscriptions', [id, owner, true, at]);
      await put('topic_reads', [owner, id, 0, at]);
      for (const tag of someOf(rng, TAGS, 0, 3).slice(0, 2)) await put('entity_tags', [id, tag]);
      b.activity.add('started', owner, id, p.network[k], null, at);
    },
  );

/** Plans every reply, numbers them in time order and fills the topics' counters. */
async function planReplies(b: BenchSeed, s: State): Promise<void> {
  const { members: m, clock, entities: p } = b;
  const counts = spread(b, (k) => p.kind[k] === s.kind && !s.hot.includes(k), b.plan.replies);
  s.hot.forEach((k, i) => (counts[k] = b.plan.hotReplies[i]));
  let total = 0;
  for (let k = 0; k < p.n; k++) total += counts[k];
  const r = { topic: new Int32Array(total), author: new Int32Array(total), at: new Float64Array(total), order: new Uint32Array(total), firstId: 0 };
  r.firstId = await b.firstId('discussion_replies');
  s.replyCount = new Int32Array(p.n);
  s.lastReplyId = new Int32Array(p.n);
  s.lastActivity = Float64Array.from(p.at);
  let i = 0;
  for (let k = 0; k < p.n; k++) {
    if (!counts[k]) continue;
    const who = audience(b, k)!;
    const times = s.hot.includes(k)
      ? spreadEvenly(b, p.at[k], Math.min(clock.end, p.at[k] + 200 * DAY), counts[k], m.tz[p.owner[k]])
      : timesAfter(b, p.at[k], counts[k], 10, m.tz[p.owner[k]]);
    for (let j = 0; j < counts[k]; j++, i++) {
      const author = who.draw();
      r.topic[i] = k;
      r.author[i] = author;
      r.at[i] = Math.min(clock.end, Math.max(times[j], m.joinAt[author] + 60_000));
    }
  }
  const at = r.at;
  for (let j = 0; j < total; j++) r.order[j] = j;
  r.order.sort((x, y) => at[x] - at[y] || x - y);
  for (let rank = 0; rank < total; rank++) {
    const j = r.order[rank];
    const k = r.topic[j];
    s.replyCount[k]++;
    s.lastReplyId[k] = r.firstId + rank;
    s.lastActivity[k] = Math.max(s.lastActivity[k], r.at[j]);
  }
  s.replies = r;
}

function spreadEvenly(b: BenchSeed, lo: number, hi: number, n: number, tz: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = b.clock.at(b.rng, lo + 60_000, hi, tz);
  return out.sort();
}

/** Writes replies in id order, numbered by position inside their topic, with revisions and subscriptions. */
async function writeReplies(b: BenchSeed, s: State): Promise<void> {
  const { members: m, writer, activity, entities: p } = b;
  const r = s.replies;
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
    const body = shortReply(b.rng);
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
