/**
 * The likes plugin's seeder (manifest `seed`). Bench: one reaction per member per entity
 * (mostly "like"), never by the owner, spread by each type's `likes` share, with their
 * activity and reaction_counts.
 */
import { audience, DAY, defineSeeder, spread, type BenchSeed, type DemoSeed } from '../../seeding';

const REACTIONS = ['like', 'love', 'celebrate', 'insightful', 'laugh', 'support'] as const;
const REACTION_WEIGHTS = [70, 10, 8, 6, 4, 2] as const;

export const seeder = defineSeeder({
  bench: () => ({
    async interact(b) {
      b.count('likes', await writeLikes(b));
    },
  }),

  demo: () => ({
    /** A few reactions on every post, by people who may see it. */
    async reactions(d: DemoSeed) {
      let total = 0;
      for (const [i, post] of d.posts.entries()) {
        const others = post.audience.filter((id) => id !== post.owner);
        const n = Math.min(others.length, 2 + ((i * 3) % 7));
        const per = new Map<string, number>();
        for (let k = 0; k < n; k++) {
          const user = others[(i * 11 + k) % others.length];
          const reaction = REACTIONS[(i + k) % 5 === 0 ? (i + k) % REACTIONS.length : 0];
          const at = post.at + (k + 1) * 3_600_000;
          await d.db('reactions').insert({ entity_id: post.id, user_id: user, reaction, network_id: post.networkId, created_at: at });
          await d.activity('liked', user, post.id, post.networkId, null, at);
          per.set(reaction, (per.get(reaction) ?? 0) + 1);
        }
        for (const [reaction, count] of per) await d.db('reaction_counts').insert({ entity_id: post.id, reaction, n: count });
        total += n;
      }
      d.count('reactions', total);
    },
  }),
});

async function writeLikes(b: BenchSeed): Promise<number> {
  const { members: m, rng, clock, writer, activity, entities: p } = b;
  const counts = spread(b, (k) => (audience(b, k) === null ? 0 : (p.kinds[p.kind[k]].likes ?? 0)), b.plan.likes);
  const reactions = writer.table('reactions', ['entity_id', 'user_id', 'reaction', 'network_id', 'created_at']);
  const countRows = writer.table('reaction_counts', ['entity_id', 'reaction', 'n']);
  let total = 0;
  for (let k = 0; k < p.n; k++) {
    if (!counts[k]) continue;
    const who = audience(b, k)!;
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
