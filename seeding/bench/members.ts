/**
 * Members, the core's part: accounts (all with the one shared password hash), their
 * membership of the root network and of the sub-networks the `networks` phase gave them,
 * and charter acceptances when the network has a charter. Profiles are the profiles
 * plugin's (its seeder's `people` hook).
 */
import { Clock, DAY, ZONES, ZONE_WEIGHTS } from '../kit/clock';
import { Zipf, type Rng } from '../kit/rng';
import { DEPARTMENTS, FIRST_NAMES, LAST_NAMES, LOCATIONS_BY_ZONE, ascii } from '../kit/text';
import type { BenchSeed, Members } from './model';

/** Builds the members in memory: names, join times (a launch wave, then steady growth), time zones, cities. */
export function planMembers(rng: Rng, clock: Clock, n: number, firstId: number, takenNames: Set<string>): Members {
  const joins = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    joins[i] = i < n * 0.3 ? clock.start + rng.next() * 30 * DAY : clock.start + rng.next() * (clock.end - clock.start - DAY);
  }
  joins.sort();
  const tz = new Float64Array(n);
  const username: string[] = [];
  const department: string[] = [];
  const location: string[] = [];
  const used = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    tz[i] = rng.weighted(ZONES, ZONE_WEIGHTS);
    joins[i] = clock.at(rng, joins[i], joins[i] + 2 * DAY, tz[i]);
    const base = `${ascii(rng.pick(FIRST_NAMES))}.${ascii(rng.pick(LAST_NAMES))}`.slice(0, 26);
    let k = used.get(base) ?? 0;
    let name = k ? `${base}${k + 1}` : base;
    while (takenNames.has(name)) name = `${base}${++k + 1}`;
    used.set(base, k + 1);
    takenNames.add(name);
    username.push(name);
    department.push(rng.pick(DEPARTMENTS));
  }
  const popularity = rng.permutation(n);
  const activity = rng.permutation(n);
  for (let i = 0; i < n; i++) location.push(rng.pick(LOCATIONS_BY_ZONE[ZONES.indexOf(tz[i] as (typeof ZONES)[number])]));
  return {
    n,
    id: Int32Array.from({ length: n }, (_, i) => firstId + i),
    username,
    joinAt: joins,
    tz,
    location,
    department,
    popularity,
    active: new Zipf(n, 0.8, activity),
    popular: new Zipf(n, 1.0, popularity),
    follows: [],
    friends: Array.from({ length: n }, () => []),
    groups: Array.from({ length: n }, () => []),
    subnets: Array.from({ length: n }, () => []),
    // An early member with a long history; not among the most followed.
    login: Math.min(n - 1, Math.floor(n * 0.1)),
  };
}

export const displayName = (username: string): string =>
  username
    .replace(/\d+$/, '')
    .split('.')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join(' ');

/** Writes users, memberships and charter acceptances. */
export async function writeMembers(b: BenchSeed): Promise<void> {
  const { members: m, rng, writer } = b;
  const root = await b.db('networks').where({ id: b.rootId }).first('charter_version');
  const charter = Number(root?.charter_version ?? 0);
  const users = writer.table('users', [
    'id',
    'username',
    'username_lower',
    'email',
    'email_lower',
    'display_name',
    'password_hash',
    'locale',
    'status',
    'is_root_admin',
    'email_verified_at',
    'created_at',
    'updated_at',
  ]);
  const memberships = writer.table('memberships', ['user_id', 'network_id', 'role', 'created_at']);
  const acceptances = writer.table('charter_acceptances', ['user_id', 'network_id', 'version', 'accepted_at']);
  for (let i = 0; i < m.n; i++) {
    const id = m.id[i];
    const at = m.joinAt[i];
    const name = m.username[i];
    const email = `${name}@bench.example`;
    const location = m.location[i];
    const locale = (location === 'Lyon' || location === 'Paris' || location === 'Montréal') && rng.chance(0.7) ? 'fr' : null;
    if (users.add([id, name, name.toLowerCase(), email, email, displayName(name), b.passwordHash, locale, 'active', false, at, at, at]))
      await users.flush();
    const role = i % 500 === 7 && i !== m.login ? 'moderator' : 'member';
    if (memberships.add([id, b.rootId, role, at])) await memberships.flush();
    for (const s of m.subnets[i]) if (memberships.add([id, b.subnets.id[s], 'member', at])) await memberships.flush();
    if (charter > 0 && acceptances.add([id, b.rootId, charter, at])) await acceptances.flush();
  }
  for (const t of [users, memberships, acceptances]) await t.close();
}
