/**
 * `ruche seed --demo`: a small believable network to look around in right after install —
 * a company of 60 people in three countries (Lyon, Montréal, Singapore), its partner company
 * in an isolated sub-network, and what the plugins' seeders add (profiles, connections,
 * groups, posts, articles, discussions, conversations, comments, reactions) in the chosen
 * language. The core part here writes the partner network, the accounts and memberships;
 * everything is one transaction (nothing half-written) and a second run is refused.
 */
import { hashPassword } from '../../core/auth/passwords';
import { isLocale, type Locale, type NetworkInfo, type Runtime } from '../../core';
import { DAY, HOUR } from '../kit/clock';
import { ascii } from '../kit/text';
import {
  COUNTRIES,
  DEPARTMENTS,
  FRENCH_FIRST,
  FRENCH_LAST,
  inLocale,
  PARTNER_FIRST,
  PARTNER_LAST,
  SINGAPORE_FIRST,
  SINGAPORE_LAST,
  uniqueName,
} from '../kit/names';
import { Rng } from '../kit/rng';
import { demoEnabled, loadSeeders, runPhase } from '../seeder';
import { SeedRefused } from '../refused';
import type { Country, DemoPerson, DemoSeed } from './model';
import { DEMO_PHASES } from './model';
import { fillActivityContainers } from '../../core/db/migrations/016_activity_container';

/** The demo accounts' password unless `--password` gives one. */
export const DEMO_PASSWORD = 'demo password 2026';
/** core_settings key marking a database that holds the demo network. */
export const DEMO_MARKER = 'demo.seed';
export const PARTNER_SLUG = 'kestrel';
const STAFF: readonly [Country, number][] = [
  ['fr', 30],
  ['ca', 18],
  ['sg', 12],
];

export interface DemoResult {
  locale: Locale;
  password: string;
  login: string;
  partnerLogin: string;
  partnerSlug: string;
  /** The company network's administrator (its community manager: the members console, the dashboard). */
  adminLogin: string;
  /** The plugins off by default the demo turned on in its network (`demoEnables`: analytics). */
  enabled: string[];
  counts: Record<string, number>;
}

export async function seedDemo(rt: Runtime, options: { locale?: Locale; password?: string; now?: number }): Promise<DemoResult> {
  const root = rt.networks.root();
  const marker = await rt.db('core_settings').where({ key: DEMO_MARKER }).first('value');
  if (marker) {
    const was = JSON.parse(String(marker.value)) as { at?: number };
    throw new SeedRefused(
      `this site already holds the demo network (seeded ${new Date(Number(was.at)).toISOString().slice(0, 10)}): nothing was changed`,
    );
  }
  if (rt.networks.slug(PARTNER_SLUG))
    throw new SeedRefused(`a network named "${PARTNER_SLUG}" exists already: the demo needs a site without it (a fresh install)`);
  const locale: Locale = options.locale ?? (isLocale(root.locale) ? root.locale : 'en');
  // The plugins off by default the demo shows (analytics): on in its network, off again if the seed fails.
  const enabled = await demoEnabled(rt, root.id);
  for (const id of enabled) await rt.pluginState.enable(id, root.id);
  try {
    return { ...(await seedNetwork(rt, root, locale, options)), enabled };
  } catch (e) {
    for (const id of enabled.reverse()) await rt.pluginState.disable(id, root.id);
    throw e;
  }
}

async function seedNetwork(
  rt: Runtime,
  root: NetworkInfo,
  locale: Locale,
  options: { password?: string; now?: number },
): Promise<Omit<DemoResult, 'enabled'>> {
  const password = options.password ?? DEMO_PASSWORD;
  const seeders = await loadSeeders(rt, root.id, 'demo');
  const passwordHash = await hashPassword(password);
  const now = options.now ?? Date.now();
  const counts: Record<string, number> = {};
  const rng = new Rng(2026);
  let result: Omit<DemoResult, 'enabled'> | undefined;
  await rt.db.transaction(async (trx) => {
    const [row] = await trx('networks')
      .insert({
        slug: PARTNER_SLUG,
        name: 'Kestrel Logistics',
        parent_id: root.id,
        join_policy: 'invitation',
        allow_guests: false,
        theme: root.theme,
        locale,
        isolated: true,
        created_at: now - 200 * DAY,
      })
      .returning('id');
    const partnerId = Number(typeof row === 'object' ? row.id : row);
    const t = (en: string, fr: string): string => (locale === 'fr' ? fr : en);
    const insertId = async (table: string, values: Record<string, unknown>): Promise<number> => {
      const [r] = await trx(table).insert(values).returning('id');
      return Number(typeof r === 'object' ? r.id : r);
    };
    const d: DemoSeed = {
      rt,
      db: trx,
      rng,
      locale,
      t,
      ago: (days) => {
        const day = Math.floor((now - days * DAY) / DAY) * DAY;
        return Math.min(now - HOUR, day + (8 + (days % 1) * 10) * HOUR + rng.int(0, 59) * 60_000);
      },
      rootId: root.id,
      partnerId,
      people: [],
      staff: [],
      partners: [],
      login: undefined as never,
      groups: [],
      posts: [],
      insertId,
      entity: (e) =>
        insertId('entities', {
          type: e.type,
          owner_id: e.owner,
          container_id: e.containerId ?? null,
          network_id: e.networkId ?? root.id,
          access: e.access,
          created_at: e.at,
          updated_at: e.at,
        }),
      activity: async (verb, actorId, entityId, networkId, objectId, at) => {
        await trx('activity').insert({ verb, actor_id: actorId, entity_id: entityId, network_id: networkId, object_id: objectId, created_at: at });
      },
      count: (name, n) => (counts[name] = (counts[name] ?? 0) + n),
    };
    await writePeople(d, passwordHash, now);
    for (const phase of DEMO_PHASES) await runPhase(seeders, phase, d);
    await fillActivityContainers(trx);
    await lastActive(d, now);
    await runPhase(seeders, 'finish', d);
    await trx('core_settings').insert({ key: DEMO_MARKER, value: JSON.stringify({ locale, at: now }) });
    result = {
      locale,
      password,
      login: d.login.username,
      partnerLogin: d.partners[0].username,
      partnerSlug: PARTNER_SLUG,
      adminLogin: d.staff[1].username,
      counts,
    };
  });
  // The new network, for this process and any running server (core/cache).
  await rt.caches.changed('networks');
  return result!;
}

/** The company's 60 people and the partner's 8: accounts, memberships, charter acceptances. */
async function writePeople(d: DemoSeed, passwordHash: string, now: number): Promise<void> {
  const { rng } = d;
  const used = new Set<string>();
  const taken = new Set((await d.db('users').pluck('username_lower')) as string[]);
  const make = (company: DemoPerson['company'], country: Country, name: string, dept: number, title: number): Omit<DemoPerson, 'id'> => {
    let username = name.split(' ').map(ascii).join('.');
    for (let n = 2; taken.has(username); n++) username = `${name.split(' ').map(ascii).join('.')}${n}`;
    taken.add(username);
    const department = DEPARTMENTS[dept % DEPARTMENTS.length];
    return {
      username,
      name,
      company,
      country,
      city: company === 'partner' ? 'Antwerpen' : COUNTRIES[country].city,
      department: inLocale(department.name, d.locale),
      jobTitle: inLocale(department.titles[title % department.titles.length], d.locale),
      locale: company === 'partner' ? d.locale : COUNTRIES[country].locale,
      joinedAt: now - rng.int(40, 400) * DAY,
    };
  };
  const planned: Omit<DemoPerson, 'id'>[] = [];
  let i = 0;
  for (const [country, n] of STAFF) {
    for (let k = 0; k < n; k++, i++) {
      const name = country === 'sg' ? uniqueName(rng, SINGAPORE_FIRST, SINGAPORE_LAST, used) : uniqueName(rng, FRENCH_FIRST, FRENCH_LAST, used);
      planned.push(make('company', country, name, i, Math.floor(i / DEPARTMENTS.length)));
    }
  }
  for (let k = 0; k < 8; k++) planned.push(make('partner', 'fr', uniqueName(rng, PARTNER_FIRST, PARTNER_LAST, used), 5 + (k % 3), k));
  const charters = new Map<number, number>();
  for (const n of (await d.db('networks').whereIn('id', [d.rootId, d.partnerId]).select('id', 'charter_version')) as {
    id: number;
    charter_version: number | null;
  }[])
    if (Number(n.charter_version ?? 0) > 0) charters.set(Number(n.id), Number(n.charter_version));
  for (const [k, p] of planned.entries()) {
    const domain = p.company === 'partner' ? 'kestrel.example' : 'alveo.example';
    const email = `${p.username}@${domain}`;
    const [row] = await d
      .db('users')
      .insert({
        username: p.username,
        username_lower: p.username.toLowerCase(),
        email,
        email_lower: email.toLowerCase(),
        display_name: p.name,
        password_hash: passwordHash,
        locale: p.locale,
        status: 'active',
        is_root_admin: false,
        email_verified_at: p.joinedAt,
        created_at: p.joinedAt,
        updated_at: p.joinedAt,
      })
      .returning('id');
    const person: DemoPerson = { ...p, id: Number(typeof row === 'object' ? row.id : row) };
    d.people.push(person);
    (p.company === 'partner' ? d.partners : d.staff).push(person);
    // The company's network: one admin, two moderators. The partner's network: its own people and two liaisons.
    const networks: [number, string][] =
      p.company === 'partner'
        ? [[d.partnerId, k === planned.length - 8 ? 'admin' : 'member']]
        : [
            [d.rootId, k === 1 ? 'admin' : k === 2 || k === 31 ? 'moderator' : 'member'],
            ...(k === 3 || k === 4 ? [[d.partnerId, 'member'] as [number, string]] : []),
          ];
    for (const [networkId, role] of networks) {
      await d.db('memberships').insert({ user_id: person.id, network_id: networkId, role, created_at: p.joinedAt });
      const version = charters.get(networkId);
      if (version) await d.db('charter_acceptances').insert({ user_id: person.id, network_id: networkId, version, accepted_at: p.joinedAt });
    }
  }
  d.login = d.staff[0];
  d.count('people', d.people.length);
}

/**
 * Each member's last activity (`users.last_active_at`, the members console's "Last active"):
 * drawn — half within the last three days, a quarter within two weeks, the rest weeks ago — never
 * before joining, and never before their latest act the seeders wrote.
 */
async function lastActive(d: DemoSeed, now: number): Promise<void> {
  const latest = new Map(
    ((await d.db('activity').groupBy('actor_id').select('actor_id', d.db.raw('max(created_at) as at'))) as { actor_id: unknown; at: unknown }[]).map(
      (r) => [Number(r.actor_id), Number(r.at)],
    ),
  );
  for (const p of d.people) {
    const r = d.rng.next();
    const daysAgo = r < 0.55 ? d.rng.int(0, 2) : r < 0.8 ? d.rng.int(3, 13) : d.rng.int(14, 60);
    const drawn = Math.max(p.joinedAt + DAY, now - daysAgo * DAY - d.rng.int(1, 10 * 60) * 60_000);
    const at = Math.min(now - 60_000, Math.max(drawn, latest.get(p.id) ?? 0));
    await d.db('users').where({ id: p.id }).update({ last_active_at: at });
  }
}
