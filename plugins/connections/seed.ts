/**
 * The connections plugin's seeder (manifest `seed`). Bench: follows (about 50 per member,
 * skewed by a Zipf law so a few members are followed by thousands) and accepted connections
 * (a request, its acceptance, and the `friend` relation both ways, as the plugin writes
 * them); the directory search page.
 */
import { bothWays } from '../../core';
import { countsRebuiltAtEnd, DAY, defineSeeder, type BenchSeed, type DemoSeed, type DemoPerson } from '../../seeding';
import { rebuildConnectionCounts, suspendConnectionCounts } from './counts';

export const seeder = defineSeeder({
  bench: () => ({
    /** The count triggers would run once per bulk-written follow, relation and membership: counted once at the end instead. */
    ...countsRebuiltAtEnd(suspendConnectionCounts, rebuildConnectionCounts),

    async graph(b) {
      planFollows(b);
      await writeFollows(b);
      await writeConnections(b, b.plan.connections);
      b.count('connections', b.connections.from.length);
    },

    targets(b) {
      b.page(70, 'directory search', `/people?f_department=${encodeURIComponent(directoryDepartment(b))}`);
    },
  }),

  demo: () => ({
    /** Colleagues connected within their department, the partner's people among themselves and with their liaisons; follows. */
    async people(d: DemoSeed) {
      const pairs = new Set<string>();
      const connect = async (a: DemoPerson, b: DemoPerson): Promise<void> => {
        const key = `${Math.min(a.id, b.id)}:${Math.max(a.id, b.id)}`;
        if (a.id === b.id || pairs.has(key)) return;
        pairs.add(key);
        const asked = Math.max(a.joinedAt, b.joinedAt) + DAY;
        await d
          .db('connection_requests')
          .insert({ from_id: a.id, to_id: b.id, status: 'accepted', created_at: asked, decided_at: asked + 3_600_000 });
        for (const [x, y] of bothWays(a, b)) {
          await d.db('user_relations').insert({ user_id: x.id, other_id: y.id, kind: 'friend', created_at: asked + 3_600_000 });
          await follow(x, y, asked + 3_600_000);
        }
      };
      const followed = new Set<string>();
      const follow = async (x: DemoPerson, y: DemoPerson, at: number): Promise<void> => {
        if (x.id === y.id || followed.has(`${x.id}:${y.id}`)) return;
        followed.add(`${x.id}:${y.id}`);
        await d.db('follows').insert({ follower_id: x.id, followee_id: y.id, created_at: at });
      };
      const byDepartment = new Map<string, DemoPerson[]>();
      for (const p of d.staff) byDepartment.set(p.department, [...(byDepartment.get(p.department) ?? []), p]);
      for (const team of byDepartment.values())
        for (let i = 0; i < team.length; i++) for (let k = 1; k <= 2; k++) if (team[i + k]) await connect(team[i], team[i + k]);
      for (const p of d.staff.slice(1, 9)) await connect(d.login, p);
      for (let i = 0; i < d.partners.length; i++) await connect(d.partners[i], d.partners[(i + 1) % d.partners.length]);
      for (const p of d.partners.slice(0, 4)) await connect(d.staff[3], p);
      // Everyone follows the chief executive; the demo member follows the whole company (60 people).
      for (const p of d.staff) await follow(p, d.staff[1], p.joinedAt + DAY);
      for (const p of d.staff) await follow(d.login, p, d.login.joinedAt + DAY);
      d.count('connections', pairs.size);
    },
  }),
});

function planFollows(b: BenchSeed): void {
  const { members: m, rng } = b;
  for (let i = 0; i < m.n; i++) {
    let k = Math.round(30 * rng.pareto(2.5));
    if (i === m.login) k = 300;
    k = Math.min(m.n - 1, Math.max(3, k));
    const set = new Set<number>();
    for (let tries = 0; set.size < k && tries < k * 20; tries++) {
      const j = m.popular.draw(rng);
      if (j !== i) set.add(j);
    }
    m.follows.push(Int32Array.from(set));
  }
}

async function writeFollows(b: BenchSeed): Promise<void> {
  const { members: m, rng, clock } = b;
  const follows = b.writer.table('follows', ['follower_id', 'followee_id', 'created_at']);
  for (let i = 0; i < m.n; i++) {
    for (const j of m.follows[i]) {
      const at = clock.after(rng, Math.max(m.joinAt[i], m.joinAt[j]), 60 * DAY, m.tz[i]);
      if (follows.add([m.id[i], m.id[j], at])) await follows.flush();
    }
  }
  await follows.close();
}

/** Chooses `count` pairs among follows (people connect with those they follow), writes requests and relations. */
async function writeConnections(b: BenchSeed, count: number): Promise<void> {
  const { members: m, rng, clock } = b;
  const out = { from: new Int32Array(count), to: new Int32Array(count), at: new Float64Array(count) };
  const seen = new Set<number>();
  const requests = b.writer.table('connection_requests', ['from_id', 'to_id', 'status', 'created_at', 'decided_at']);
  const relations = b.writer.table('user_relations', ['user_id', 'other_id', 'kind', 'created_at']);
  let made = 0;
  for (let tries = 0; made < count && tries < count * 50; tries++) {
    const a = tries % 7 === 0 ? m.login : rng.int(0, m.n - 1);
    const list = m.follows[a];
    if (!list.length) continue;
    const c = list[rng.int(0, list.length - 1)];
    const key = Math.min(a, c) * m.n + Math.max(a, c);
    if (a === c || seen.has(key)) continue;
    seen.add(key);
    const asked = clock.after(rng, Math.max(m.joinAt[a], m.joinAt[c]), 90 * DAY, m.tz[a]);
    const accepted = clock.after(rng, asked, DAY, m.tz[c]);
    out.from[made] = a;
    out.to[made] = c;
    out.at[made] = accepted;
    made++;
    m.friends[a].push(c);
    m.friends[c].push(a);
    if (requests.add([m.id[a], m.id[c], 'accepted', asked, accepted])) await requests.flush();
    if (relations.add([m.id[a], m.id[c], 'friend', accepted])) await relations.flush();
    if (relations.add([m.id[c], m.id[a], 'friend', accepted])) await relations.flush();
  }
  await requests.close();
  await relations.close();
  b.connections = { from: out.from.subarray(0, made), to: out.to.subarray(0, made), at: out.at.subarray(0, made) };
}

/** The department whose member count is closest to 300 ("a few hundred" at the default size). */
function directoryDepartment(b: BenchSeed): string {
  const counts = new Map<string, number>();
  for (const d of b.members.department) counts.set(d, (counts.get(d) ?? 0) + 1);
  return [...counts.entries()].sort((x, y) => Math.abs(x[1] - 300) - Math.abs(y[1] - 300) || x[0].localeCompare(y[0]))[0][0];
}
