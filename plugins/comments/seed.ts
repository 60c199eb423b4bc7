/**
 * The comments plugin's seeder (manifest `seed`). Bench: comments on every planned entity
 * whose type takes them (`commentDays`), by members who may see it, a quarter of them
 * replies to an earlier comment, with their activity and comment_counts.
 */
import { audience, defineSeeder, shortReply, spread, timesAfter, type BenchSeed, type DemoSeed } from '../../seeding';

export const seeder = defineSeeder({
  bench: () => ({
    async interact(b) {
      b.count('comments', await writeComments(b));
    },
  }),

  demo: () => ({
    /** Up to three comments on each commentable post, by people who may see it, the last one often a reply. */
    async reactions(d: DemoSeed) {
      const lines = [
        d.t('Great news!', 'Excellente nouvelle !'),
        d.t('Thanks for sharing.', 'Merci pour le partage.'),
        d.t('Count me in.', 'Je suis partant.'),
        d.t('Can we talk about it at the next team meeting?', 'On en parle à la prochaine réunion d’équipe ?'),
        d.t('Very useful, thank you.', 'Très utile, merci.'),
        d.t('Agreed, let us do it.', 'D’accord, allons-y.'),
      ];
      let total = 0;
      for (const [i, post] of d.posts.entries()) {
        if (!post.commentable) continue;
        const others = post.audience.filter((id) => id !== post.owner);
        const n = Math.min(others.length, i % 4);
        let parent: number | null = null;
        for (let k = 0; k < n; k++) {
          const author = others[(i * 7 + k * 5) % others.length];
          const at = post.at + (k + 1) * 2 * 3_600_000;
          const body = lines[(i + k) % lines.length];
          const id = await d.insertId('comments', {
            entity_id: post.id,
            network_id: post.networkId,
            author_id: author,
            parent_id: k === 2 ? parent : null,
            body,
            created_at: at,
          });
          if (k === 0) parent = id;
          await d.activity('commented', author, post.id, post.networkId, id, at);
        }
        if (n) await d.db('comment_counts').insert({ entity_id: post.id, n });
        total += n;
      }
      d.count('comments', total);
    },
  }),
});

async function writeComments(b: BenchSeed): Promise<number> {
  const { members: m, rng, clock, writer, activity, entities: p } = b;
  const span = (k: number): number => p.kinds[p.kind[k]].commentDays ?? 0;
  const counts = spread(b, (k) => span(k) > 0 && audience(b, k) !== null, b.plan.comments);
  let total = 0;
  for (let k = 0; k < p.n; k++) total += counts[k];
  const ent = new Int32Array(total);
  const author = new Int32Array(total);
  const at = new Float64Array(total);
  const parent = new Int32Array(total).fill(-1);
  let i = 0;
  for (let k = 0; k < p.n; k++) {
    if (!counts[k]) continue;
    const who = audience(b, k)!;
    const times = timesAfter(b, p.at[k], counts[k], span(k), m.tz[p.owner[k]]);
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
  order.sort((x, y) => at[x] - at[y] || x - y);
  const firstId = await b.firstId('comments');
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
  p.comments.set(counts);
  return total;
}
