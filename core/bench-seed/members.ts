/**
 * Members: accounts (all with the one shared password hash), their membership of the root
 * network (and of the sub-networks of their city), profiles with the built-in columns and
 * four admin-defined extra fields, and charter acceptances when the network has a charter.
 */
import { Clock, DAY, ZONES, ZONE_WEIGHTS } from './clock';
import type { Members, SeedContext } from './model';
import { Zipf, type Rng } from './rng';
import { DEPARTMENTS, FIRST_NAMES, INTERESTS, LANGUAGES, LAST_NAMES, LOCATIONS_BY_ZONE, SKILLS, TEAMS, ascii } from './text';

const HEADLINES = ['Engineer', 'Manager', 'Analyst', 'Coordinator', 'Specialist', 'Director', 'Consultant', 'Assistant', 'Lead', 'Intern'];

/** Builds the members in memory: names, join times (a launch wave, then steady growth), time zones. */
export function planMembers(rng: Rng, clock: Clock, n: number, firstId: number, takenNames: Set<string>): Members {
  const joins = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    joins[i] = i < n * 0.3 ? clock.start + rng.next() * 30 * DAY : clock.start + rng.next() * (clock.end - clock.start - DAY);
  }
  joins.sort();
  const tz = new Float64Array(n);
  const username: string[] = [];
  const department: string[] = [];
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
  return {
    n,
    id: Int32Array.from({ length: n }, (_, i) => firstId + i),
    username,
    joinAt: joins,
    tz,
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

const displayName = (username: string): string =>
  username
    .replace(/\d+$/, '')
    .split('.')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join(' ');

/** Writes users, memberships, profiles, extra field values and charter acceptances. */
export async function writeMembers(c: SeedContext): Promise<void> {
  const { members: m, rng, writer } = c;
  const fields = await extraFields(c);
  const root = await c.db('networks').where({ id: c.rootId }).first('charter_version');
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
  const profiles = writer.table('profiles', ['user_id', 'headline', 'department', 'location', 'languages', 'skills', 'about', 'updated_at']);
  const values = writer.table('profile_values', ['user_id', 'field_id', 'value']);
  const acceptances = writer.table('charter_acceptances', ['user_id', 'network_id', 'version', 'accepted_at']);
  for (let i = 0; i < m.n; i++) {
    const id = m.id[i];
    const at = m.joinAt[i];
    const name = m.username[i];
    const email = `${name}@bench.example`;
    const zone = ZONES.indexOf(m.tz[i] as (typeof ZONES)[number]);
    const location = rng.pick(LOCATIONS_BY_ZONE[zone]);
    const locale = (location === 'Lyon' || location === 'Paris' || location === 'Montréal') && rng.chance(0.7) ? 'fr' : null;
    if (users.add([id, name, name.toLowerCase(), email, email, displayName(name), c.passwordHash, locale, 'active', false, at, at, at]))
      await users.flush();
    const role = i % 500 === 7 && i !== m.login ? 'moderator' : 'member';
    if (memberships.add([id, c.rootId, role, at])) await memberships.flush();
    for (const s of m.subnets[i]) if (memberships.add([id, c.subnets.id[s], 'member', at])) await memberships.flush();
    const languages = pickSome(rng, LANGUAGES, 1, 3);
    const skills = pickSome(rng, SKILLS, 0, 4);
    const headline = `${rng.pick(HEADLINES)}, ${m.department[i]}`;
    const about = rng.chance(0.6) ? `I work in ${m.department[i]} in ${location}. Ask me about ${skills[0] ?? 'anything'}.` : '';
    if (profiles.add([id, headline, m.department[i], location, languages.join(', '), skills.join(', '), about, at])) await profiles.flush();
    const team = rng.pick(TEAMS);
    const started = new Date(at - rng.int(0, 3_000) * DAY).toISOString().slice(0, 10);
    const rows: unknown[][] = [
      [id, fields.team, team],
      [id, fields.start_date, started],
    ];
    for (const interest of pickSome(rng, INTERESTS, 0, 3)) rows.push([id, fields.interests, interest]);
    if (rng.chance(0.5))
      rows.push([id, fields.desk_phone, `+33 4 72 ${String(rng.int(10, 99))} ${String(rng.int(10, 99))} ${String(rng.int(10, 99))}`]);
    for (const r of rows) if (values.add(r)) await values.flush();
    if (charter > 0 && acceptances.add([id, c.rootId, charter, at])) await acceptances.flush();
  }
  for (const t of [users, memberships, profiles, values, acceptances]) await t.close();
}

function pickSome(rng: Rng, list: readonly string[], min: number, max: number): string[] {
  const n = rng.int(min, max);
  const out = new Set<string>();
  while (out.size < Math.min(n, list.length)) out.add(rng.pick(list));
  return [...out];
}

/** The extra profile fields the seed fills, created unless a field with the key exists. */
async function extraFields(c: SeedContext): Promise<Record<'team' | 'start_date' | 'interests' | 'desk_phone', number>> {
  const wanted = [
    { key: 'team', label_en: 'Team', label_fr: 'Équipe', type: 'choice', choices: JSON.stringify(TEAMS), visibility: 'members' },
    { key: 'start_date', label_en: 'Start date', label_fr: 'Date d’arrivée', type: 'date', choices: '[]', visibility: 'members' },
    {
      key: 'interests',
      label_en: 'Interests',
      label_fr: 'Centres d’intérêt',
      type: 'multichoice',
      choices: JSON.stringify(INTERESTS),
      visibility: 'members',
    },
    { key: 'desk_phone', label_en: 'Desk phone', label_fr: 'Téléphone fixe', type: 'text', choices: '[]', visibility: 'members' },
  ] as const;
  const out: Record<string, number> = {};
  const max = await c.writer.trx('profile_fields').max({ p: 'position' }).first();
  let position = Number((max as { p?: unknown } | undefined)?.p ?? 0);
  for (const f of wanted) {
    const existing = await c.writer.trx('profile_fields').where({ key: f.key }).first('id');
    if (existing) {
      out[f.key] = Number(existing.id);
      continue;
    }
    const [row] = await c.writer
      .trx('profile_fields')
      .insert({ ...f, required: false, position: ++position })
      .returning('id');
    out[f.key] = Number(typeof row === 'object' ? row.id : row);
  }
  return out as Record<'team' | 'start_date' | 'interests' | 'desk_phone', number>;
}
