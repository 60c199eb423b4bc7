/**
 * `ruche seed --bench`: fills an installed site with a believable, deterministic network for
 * the page benchmark — members with profiles, a skewed follow graph, connections, groups,
 * sub-networks (when that plugin is enabled), status posts, blog posts, discussions with
 * replies, comments and likes, over three years. Everything is written in one transaction
 * with multi-row inserts, directly in the tables the plugins own, with the same rows, activity
 * and counters the app itself would have written. At the end, `<dataDir>/bench-targets.json`
 * tells the benchmark which pages to measure (see targets.ts).
 */
import path from 'node:path';
import type { Runtime } from '../runtime';
import { hashPassword } from '../auth/passwords';
import { dialectOf } from '../db/database';
import { ActivityCollector } from './activity';
import { Clock } from './clock';
import { planEntities, writeEntities } from './content';
import { planFollows, writeConnections, writeFollows } from './graph';
import { planGroups, writeGroupMembers } from './groups';
import { planReplies, writeComments, writeLikes, writeReplies } from './interactions';
import { planMembers, writeMembers } from './members';
import type { SeedContext, Subnets } from './model';
import { makePlan, PlanError, type Plan, type SeedOptions } from './plan';
import { Progress, type PhaseTime } from './progress';
import { Rng } from './rng';
import { buildTargets, writeTargets, type BenchTargets } from './targets';
import { Writer } from './writer';

export { DEFAULTS, LIMITS, PlanError, type SeedOptions } from './plan';
export { TARGETS_FILE, type BenchTargets } from './targets';

/** The password of every bench member (hashed once; the benchmark signs in with it). */
export const BENCH_PASSWORD = 'bench password 2026';
/** core_settings key marking a database that holds bench data. */
export const BENCH_MARKER = 'bench.seed';
export const REQUIRED_PLUGINS = ['profiles', 'connections', 'activity', 'blogs', 'comments', 'likes', 'groups', 'discussions'] as const;

export class SeedRefused extends Error {}

export interface SeedResult {
  plan: Plan;
  counts: Record<string, number>;
  phases: PhaseTime[];
  totalMs: number;
  targetsFile: string;
  targets: BenchTargets;
}

const SUBNETS = [
  { slug: 'bench-lyon', name: 'Lyon plant', zone: 1 },
  { slug: 'bench-montreal', name: 'Montréal office', zone: -5 },
  { slug: 'bench-singapore', name: 'Singapore office', zone: 8 },
];

export async function seedBench(rt: Runtime, options: SeedOptions, io: { progress: NodeJS.WriteStream | null; now?: number }): Promise<SeedResult> {
  const started = Date.now();
  const db = rt.db;
  const rootId = rt.networks.root().id;
  const off = REQUIRED_PLUGINS.filter((id) => !rt.pluginState.isEnabled(id, rootId));
  if (off.length)
    throw new SeedRefused(
      `the bench seed needs the plugin${off.length > 1 ? 's' : ''} ${off.join(', ')}: enable ${off.length > 1 ? 'them' : 'it'} first (ruche plugin enable <id>)`,
    );
  const marker = await db('core_settings').where({ key: BENCH_MARKER }).first('value');
  if (marker) {
    const was = JSON.parse(String(marker.value)) as Partial<SeedOptions>;
    throw new SeedRefused(
      `this database already holds bench data (seed ${was.seed}, ${was.members} members, ${was.entities} entities): seed a fresh install instead`,
    );
  }
  const withSubnets = rt.plugins.has('subnetworks') && rt.pluginState.isEnabled('subnetworks', rootId);
  let plan: Plan;
  try {
    plan = makePlan(options, withSubnets);
  } catch (e) {
    if (e instanceof PlanError) throw new SeedRefused(e.message);
    throw e;
  }
  const dialect = dialectOf(rt.config.databaseUrl);
  const rng = new Rng(plan.seed);
  const clock = new Clock(io.now ?? Date.now());
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const taken = new Set((await db('users').pluck('username_lower')) as string[]);
  const nextId = async (table: string): Promise<number> =>
    Number(((await db(table).max({ m: 'id' }).first()) as { m?: unknown } | undefined)?.m ?? 0) + 1;
  const ids = {
    users: await nextId('users'),
    entities: await nextId('entities'),
    comments: await nextId('comments'),
    replies: await nextId('discussion_replies'),
  };
  const subnets = await makeSubnets(rt, plan.subnetworks);

  const estimate = plan.members * 8 + plan.members * 50 + plan.entities * 3 + plan.comments * 2 + plan.likes * 3 + (plan.replies + 5000) * 4;
  const progress = new Progress(estimate, io.progress);
  const activity = new ActivityCollector(plan.entities + plan.comments + plan.likes + plan.replies + 10_000);
  const members = planMembers(rng, clock, plan.members, ids.users, taken);
  for (let i = 0; i < members.n; i++) {
    subnets.members.forEach((list, s) => {
      if (members.tz[i] === SUBNETS[s].zone && (i === members.login || rng.chance(0.3))) {
        list.push(i);
        members.subnets[i].push(s);
      }
    });
  }
  const counts: Record<string, number> = {
    members: 0,
    entities: 0,
    groups: 0,
    subnetworks: 0,
    connections: 0,
    replies: 0,
    comments: 0,
    likes: 0,
    activity: 0,
  };
  let targets: BenchTargets | undefined;
  // SQLite, during the seed only: rows are consistent by construction (no per-row foreign key
  // lookups), no fsync, and a 256 MB page cache for the randomly ordered index inserts.
  if (dialect === 'sqlite')
    for (const pragma of ['foreign_keys = OFF', 'synchronous = OFF', 'cache_size = -262144']) await db.raw(`PRAGMA ${pragma}`);
  try {
    await db.transaction(async (trx) => {
      if (dialect === 'postgres') await trx.raw('SET LOCAL synchronous_commit = off');
      const writer = new Writer(trx, dialect, (n) => progress.rows(n));
      const c: SeedContext = {
        db: trx,
        rng,
        clock,
        plan,
        writer,
        progress,
        activity,
        rootId,
        passwordHash,
        members,
        groups: undefined as never,
        subnets,
      };
      progress.start('members');
      await writeMembers(c);
      progress.start('follows');
      planFollows(c);
      await writeFollows(c);
      progress.start('connections');
      const conns = await writeConnections(c, plan.connections);
      c.groups = planGroups(c);
      const p = planEntities(c, conns, ids.entities);
      const replies = planReplies(c, p, ids.replies);
      progress.start('entities');
      await writeEntities(c, p);
      progress.start('group members');
      await writeGroupMembers(c);
      progress.start('replies');
      await writeReplies(c, p, replies);
      progress.start('comments');
      const commentCounts = await writeComments(c, p, ids.comments);
      progress.start('likes');
      counts.likes = await writeLikes(c, p);
      progress.start('activity');
      await activity.write(writer);
      counts.members = members.n;
      counts.entities = p.n;
      counts.groups = c.groups.n;
      counts.connections = conns.from.length;
      counts.replies = replies.order.length;
      counts.comments = commentCounts.reduce((a, b) => a + b, 0);
      counts.activity = activity.length;
      counts.subnetworks = subnets.id.length;
      await trx('core_settings').insert({
        key: BENCH_MARKER,
        value: JSON.stringify({ seed: plan.seed, members: plan.members, entities: plan.entities, groups: plan.groups, at: Date.now() }),
      });
      const perPage = Number(rt.pluginState.settings('discussions', rootId).repliesPerPage);
      targets = buildTargets(c, p, commentCounts, BENCH_PASSWORD, Number.isInteger(perPage) && perPage >= 5 && perPage <= 100 ? perPage : 20);
    });
  } catch (e) {
    progress.finish();
    throw e;
  } finally {
    if (dialect === 'sqlite')
      for (const pragma of ['cache_size = -2000', 'synchronous = NORMAL', 'foreign_keys = ON']) await db.raw(`PRAGMA ${pragma}`);
  }
  progress.start('finishing');
  if (dialect === 'postgres') {
    for (const table of ['users', 'entities', 'comments', 'discussion_replies']) {
      await db.raw(`select setval(pg_get_serial_sequence(?, 'id'), (select coalesce(max(id), 1) from ??))`, [table, table]);
    }
    await db.raw('analyze');
  } else {
    // The planner's statistics for the new rows (PostgreSQL: the ANALYZE above).
    await db.raw('PRAGMA analysis_limit = 1000');
    await db.raw('ANALYZE');
    // Fold the write-ahead log (hundreds of MB after a seed) into the database now, not when
    // the next process opens it.
    await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  }
  progress.finish();
  if (!targets) throw new Error('bench seed: no targets');
  const targetsFile = writeTargets(path.resolve(rt.config.dataDir), targets);
  return { plan, counts, phases: progress.phases, totalMs: Date.now() - started, targetsFile, targets };
}

/** The sub-networks of the bench (kept when they exist already, e.g. after a failed run). */
async function makeSubnets(rt: Runtime, count: number): Promise<Subnets> {
  const out: Subnets = { id: [], slug: [], members: [] };
  for (const s of SUBNETS.slice(0, count)) {
    const n = rt.networks.slug(s.slug) ?? (await rt.networks.create({ slug: s.slug, name: s.name, joinPolicy: 'open' }));
    out.id.push(n.id);
    out.slug.push(n.slug);
    out.members.push([]);
  }
  return out;
}
