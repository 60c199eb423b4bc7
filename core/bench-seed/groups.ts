/**
 * Groups: open, closed and secret, owned by a member, with skewed sizes (a few busy groups
 * with thousands of members, a long tail of small ones). The group rows themselves are
 * written with the other entities (content.ts); here, who belongs where.
 */
import { DAY } from './clock';
import { joinedGroupAt, type Groups, type SeedContext, type Visibility } from './model';
import { Zipf } from './rng';
import { groupName } from './text';

export function planGroups(c: SeedContext): Groups {
  const { members: m, rng, clock, plan } = c;
  const n = plan.groups;
  const g: Groups = {
    n,
    owner: new Int32Array(n),
    createdAt: new Float64Array(n),
    visibility: [],
    name: [],
    members: [],
    entityId: new Int32Array(n),
  };
  const taken = new Set<string>();
  const busy = Math.max(1, Math.floor(n * 0.05));
  for (let i = 0; i < n; i++) {
    // Rank i: the busiest groups come first and are open.
    const visibility: Visibility = i < busy ? 'open' : rng.weighted(['open', 'closed', 'secret'] as const, [65, 23, 12]);
    const owner = m.active.draw(rng);
    const join = m.joinAt[owner];
    g.owner[i] = owner;
    g.visibility.push(visibility);
    g.name.push(groupName(rng, i, taken));
    // Busy groups are old; the others appear over the three years.
    const span = (clock.end - join) * (i < busy ? 0.15 : 0.9);
    g.createdAt[i] = clock.at(rng, join + DAY, join + DAY + span, m.tz[owner]);
    g.members.push([owner]);
    m.groups[owner].push(i);
  }
  const pick = new Zipf(n, 0.9);
  for (let i = 0; i < m.n; i++) {
    const want = i === m.login ? Math.min(n, 40) : Math.min(n, 1 + Math.floor(rng.exp(4)));
    const mine = new Set(m.groups[i]);
    if (i === m.login) mine.add(0);
    for (let tries = 0; mine.size < want && tries < want * 20; tries++) mine.add(pick.rank(rng));
    for (const k of mine) {
      if (g.owner[k] === i) continue;
      g.members[k].push(i);
      m.groups[i].push(k);
    }
  }
  return g;
}

/** container_members: the owner as group admin, everyone else as member. */
export async function writeGroupMembers(c: SeedContext): Promise<void> {
  const { groups: g, members: m } = c;
  const table = c.writer.table('container_members', ['container_id', 'user_id', 'role', 'created_at']);
  for (let k = 0; k < g.n; k++) {
    for (const i of g.members[k]) {
      if (table.add([g.entityId[k], m.id[i], i === g.owner[k] ? 'admin' : 'member', joinedGroupAt(c, i, k)])) await table.flush();
    }
  }
  await table.close();
}
