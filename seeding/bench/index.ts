/**
 * `ruche seed --bench`: fills an installed site with a believable, deterministic network for
 * the page benchmark — members with profiles, a skewed follow graph, connections, groups,
 * sub-networks (when that plugin is enabled), status posts, blog posts, discussions with
 * replies, comments and likes, over three years. The core part here writes users,
 * memberships, entities and activity; each plugin's seeder (its manifest's `seed`) writes
 * its own tables, phase by phase in dependsOn order (model.ts). Everything is written in one
 * transaction with multi-row inserts, with the same rows, activity and counters the app
 * itself would have written. At the end, `<dataDir>/bench-targets.json` tells the benchmark
 * which pages to measure (see targets.ts).
 */
import path from 'node:path';
import type { Knex } from 'knex';
import { hashPassword } from '../../core/auth/passwords';
import type { Runtime } from '../../core';
import { dialectOf } from '../../core/db/database';
import { Clock } from '../kit/clock';
import { Progress, type PhaseTime } from '../kit/progress';
import { Rng } from '../kit/rng';
import { Bodies } from '../kit/text';
import { Writer } from '../kit/writer';
import { loadSeeders, runPhase, type LoadedSeeder } from '../seeder';
import { SeedRefused } from '../refused';
import { ActivityCollector } from './activity';
import { fillActivityContainers } from '../../core/db/migrations/016_activity_container';
import { EntityPlan, writeEntities } from './entities';
import { planMembers, writeMembers } from './members';
import { noGroups, type BenchHooks, type BenchPage, type BenchSeed } from './model';
import { makePlan, PlanError, type Plan, type SeedOptions } from './plan';
import { buildTargets, writeTargets, type BenchTargets } from './targets';

export { DEFAULTS, LIMITS, PlanError, type SeedOptions } from './plan';
export { TARGETS_FILE, type BenchTargets } from './targets';

/** The password of every bench member (hashed once; the benchmark signs in with it). */
export const BENCH_PASSWORD = 'bench password 2026';
/** core_settings key marking a database that holds bench data. */
export const BENCH_MARKER = 'bench.seed';
/** The plugins whose pages the benchmark measures. */
export const REQUIRED_PLUGINS = ['profiles', 'connections', 'activity', 'blogs', 'comments', 'likes', 'groups', 'discussions'] as const;

export interface SeedResult {
  plan: Plan;
  counts: Record<string, number>;
  phases: PhaseTime[];
  totalMs: number;
  targetsFile: string;
  targets: BenchTargets;
}

export async function seedBench(rt: Runtime, options: SeedOptions, io: { progress: NodeJS.WriteStream | null; now?: number }): Promise<SeedResult> {
  const started = Date.now();
  const db = rt.db;
  const rootId = rt.networks.root().id;
  const off = REQUIRED_PLUGINS.filter((id) => !rt.pluginState.isEnabled(id, rootId));
  if (off.length)
    throw new SeedRefused(
      `the bench seed needs the plugin${off.length > 1 ? 's' : ''} ${off.join(', ')}: ` +
        `enable ${off.length > 1 ? 'them' : 'it'} first (ruche plugin enable <id>)`,
    );
  const marker = await db('core_settings').where({ key: BENCH_MARKER }).first('value');
  if (marker) {
    const was = JSON.parse(String(marker.value)) as Partial<SeedOptions>;
    throw new SeedRefused(
      `this database already holds bench data (seed ${was.seed}, ${was.members} members, ${was.entities} entities): seed a fresh install instead`,
    );
  }
  let plan: Plan;
  try {
    plan = makePlan(options);
  } catch (e) {
    if (e instanceof PlanError) throw new SeedRefused(e.message);
    throw e;
  }
  const seeders = await loadSeeders(rt, rootId, 'bench');
  const dialect = dialectOf(rt.config.databaseUrl);
  const rng = new Rng(plan.seed);
  const clock = new Clock(io.now ?? Date.now());
  const taken = new Set((await db('users').pluck('username_lower')) as string[]);
  const explicitIds = new Set<string>();
  /** The database the seed writes to: the seed's transaction once it is open. */
  let current: Knex = db;
  const firstId = async (table: string): Promise<number> => {
    explicitIds.add(table);
    return Number(((await current(table).max({ m: 'id' }).first()) as { m?: unknown } | undefined)?.m ?? 0) + 1;
  };
  const estimate = plan.members * 8 + plan.members * 50 + plan.entities * 3 + plan.comments * 2 + plan.likes * 3 + (plan.replies + 5000) * 4;
  const progress = new Progress(estimate, io.progress);
  const counts: Record<string, number> = { members: plan.members, entities: plan.entities };
  const pages: { order: number; page: BenchPage }[] = [];
  const b: BenchSeed = {
    rt,
    db,
    rng,
    clock,
    plan,
    writer: undefined as never,
    progress,
    activity: new ActivityCollector(plan.entities + plan.comments + plan.likes + plan.replies + 10_000),
    bodies: undefined as never,
    rootId,
    passwordHash: await hashPassword(BENCH_PASSWORD),
    members: planMembers(rng, clock, plan.members, await firstId('users'), taken),
    groups: noGroups(),
    subnets: { id: [], slug: [], members: [] },
    connections: { from: new Int32Array(0), to: new Int32Array(0), at: new Float64Array(0) },
    entities: new EntityPlan(plan.entities, rootId),
    content: { statuses: 0, blogs: 0, topics: 0 },
    firstId,
    count: (name, n) => (counts[name] = (counts[name] ?? 0) + n),
    page: (order, name, pathname) => pages.push({ order, page: { name, path: pathname, as: b.members.username[b.members.login] } }),
  };
  await runPhase(seeders, 'networks', b);
  let targets: BenchTargets | undefined;
  // SQLite, during the seed only: rows are consistent by construction (no per-row foreign key
  // lookups), no fsync, and a 256 MB page cache for the randomly ordered index inserts.
  if (dialect === 'sqlite')
    for (const pragma of ['foreign_keys = OFF', 'synchronous = OFF', 'cache_size = -262144']) await db.raw(`PRAGMA ${pragma}`);
  try {
    await db.transaction(async (trx) => {
      if (dialect === 'postgres') await trx.raw('SET LOCAL synchronous_commit = off');
      b.db = current = trx;
      b.writer = new Writer(trx, dialect, (n) => progress.rows(n));
      await phases(b, seeders);
      counts.activity = b.activity.length;
      await trx('core_settings').insert({
        key: BENCH_MARKER,
        value: JSON.stringify({ seed: plan.seed, members: plan.members, entities: plan.entities, groups: plan.groups, at: Date.now() }),
      });
      targets = buildTargets(plan, pages, b.members.username[b.members.login], BENCH_PASSWORD);
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
    for (const table of explicitIds) {
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

/** The core's writes and the plugins' phases, in the order their rows depend on each other. */
async function phases(b: BenchSeed, seeders: LoadedSeeder<BenchHooks>[]): Promise<void> {
  const { progress } = b;
  await runPhase(seeders, 'start', b);
  progress.start('members');
  await writeMembers(b);
  await runPhase(seeders, 'people', b);
  progress.start('graph');
  await runPhase(seeders, 'graph', b);
  await runPhase(seeders, 'containers', b);
  const content = b.plan.entities - b.members.n - b.groups.n - b.connections.from.length;
  const blogs = Math.min(b.plan.blogs, Math.floor(content / 4));
  const topics = Math.min(b.plan.topics, Math.floor(content / 4));
  b.content = { statuses: content - blogs - topics, blogs, topics };
  b.bodies = new Bodies(b.rng, 40);
  await runPhase(seeders, 'plan', b);
  b.entities.number(await b.firstId('entities'));
  await runPhase(seeders, 'prepare', b);
  progress.start('entities');
  await writeEntities(b);
  progress.start('after entities');
  await runPhase(seeders, 'write', b);
  progress.start('interactions');
  await runPhase(seeders, 'interact', b);
  progress.start('activity');
  await b.activity.write(b.writer);
  await fillActivityContainers(b.writer.trx);
  await runPhase(seeders, 'targets', b);
  progress.start('counters');
  await runPhase(seeders, 'finish', b);
}
