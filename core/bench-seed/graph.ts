/**
 * The social graph: follows (about 50 per member, skewed by a Zipf law so a few members are
 * followed by thousands) and accepted connections (a request, its acceptance, and the
 * `friend` relation both ways, as the connections plugin writes them).
 */
import { DAY } from './clock';
import type { SeedContext } from './model';

export interface Connections {
  /** Who asked. */
  from: Int32Array;
  /** Who accepted (the owner of the "connected" entity, as the activity plugin records it). */
  to: Int32Array;
  at: Float64Array;
}

export function planFollows(c: SeedContext): void {
  const { members: m, rng } = c;
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

export async function writeFollows(c: SeedContext): Promise<void> {
  const { members: m, rng, clock } = c;
  const follows = c.writer.table('follows', ['follower_id', 'followee_id', 'created_at']);
  for (let i = 0; i < m.n; i++) {
    for (const j of m.follows[i]) {
      const at = clock.after(rng, Math.max(m.joinAt[i], m.joinAt[j]), 60 * DAY, m.tz[i]);
      if (follows.add([m.id[i], m.id[j], at])) await follows.flush();
    }
  }
  await follows.close();
}

/** Chooses `count` pairs among follows (people connect with those they follow), writes requests and relations. */
export async function writeConnections(c: SeedContext, count: number): Promise<Connections> {
  const { members: m, rng, clock } = c;
  const out: Connections = { from: new Int32Array(count), to: new Int32Array(count), at: new Float64Array(count) };
  const seen = new Set<number>();
  const requests = c.writer.table('connection_requests', ['from_id', 'to_id', 'status', 'created_at', 'decided_at']);
  const relations = c.writer.table('user_relations', ['user_id', 'other_id', 'kind', 'created_at']);
  let made = 0;
  for (let tries = 0; made < count && tries < count * 50; tries++) {
    const a = tries % 7 === 0 ? m.login : rng.int(0, m.n - 1);
    const list = m.follows[a];
    if (!list.length) continue;
    const b = list[rng.int(0, list.length - 1)];
    const key = Math.min(a, b) * m.n + Math.max(a, b);
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    const asked = clock.after(rng, Math.max(m.joinAt[a], m.joinAt[b]), 90 * DAY, m.tz[a]);
    const accepted = clock.after(rng, asked, DAY, m.tz[b]);
    out.from[made] = a;
    out.to[made] = b;
    out.at[made] = accepted;
    made++;
    m.friends[a].push(b);
    m.friends[b].push(a);
    if (requests.add([m.id[a], m.id[b], 'accepted', asked, accepted])) await requests.flush();
    if (relations.add([m.id[a], m.id[b], 'friend', accepted])) await relations.flush();
    if (relations.add([m.id[b], m.id[a], 'friend', accepted])) await relations.flush();
  }
  await requests.close();
  await relations.close();
  return { from: out.from.subarray(0, made), to: out.to.subarray(0, made), at: out.at.subarray(0, made) };
}
