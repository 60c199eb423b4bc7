/**
 * The bench network held in memory while it is written: who the members are, whom they
 * follow and are connected to, which groups and sub-networks they belong to, and every
 * planned entity. The core part (bench/index.ts) and the plugins' seeders fill it phase by
 * phase and read it to pick owners, audiences and times that make sense together.
 */
import type { Knex } from 'knex';
import type { Runtime } from '../../core';
import type { SeedPhase } from '../seeder';
import type { Clock } from '../kit/clock';
import type { Progress } from '../kit/progress';
import type { Rng, Zipf } from '../kit/rng';
import type { Bodies } from '../kit/text';
import type { Writer } from '../kit/writer';
import type { ActivityCollector } from './activity';
import type { EntityPlan } from './entities';
import type { Plan } from './plan';

export type Visibility = 'open' | 'closed' | 'secret';

export interface Members {
  n: number;
  /** users.id of member i (members are numbered in joining order). */
  id: Int32Array;
  username: string[];
  joinAt: Float64Array;
  /** UTC offset in hours. */
  tz: Float64Array;
  /** The city of each member (matches the time zone). */
  location: string[];
  department: string[];
  /** Members most followed first (rank → member). */
  popularity: Int32Array;
  /** Draws a member, the most active ones more often. */
  active: Zipf;
  /** Draws a member to follow, the popular ones more often. */
  popular: Zipf;
  follows: Int32Array[];
  friends: number[][];
  /** Group indexes of each member. */
  groups: number[][];
  /** Sub-network indexes of each member. */
  subnets: number[][];
  /** The member whose session the bench uses. */
  login: number;
}

export interface Groups {
  n: number;
  owner: Int32Array;
  createdAt: Float64Array;
  visibility: Visibility[];
  name: string[];
  /** Member indexes of each group (the owner first). */
  members: number[][];
  /** Entity id of each group, known once entities are numbered. */
  entityId: Int32Array;
}

export interface Subnets {
  id: number[];
  slug: string[];
  members: number[][];
}

/** Accepted connections, by the connections seeder. */
export interface Connections {
  /** Who asked. */
  from: Int32Array;
  /** Who accepted (the owner of the "connected" entity, as the activity plugin records it). */
  to: Int32Array;
  at: Float64Array;
}

export interface BenchPage {
  name: string;
  path: string;
  as: string;
}

export interface BenchSeed {
  rt: Runtime;
  /** The seed's transaction (the runtime's database during the `networks` phase). */
  db: Knex;
  rng: Rng;
  clock: Clock;
  plan: Plan;
  writer: Writer;
  progress: Progress;
  activity: ActivityCollector;
  bodies: Bodies;
  rootId: number;
  /** The shared password's hash (hashed once with the app's own function). */
  passwordHash: string;
  members: Members;
  groups: Groups;
  subnets: Subnets;
  connections: Connections;
  entities: EntityPlan;
  /**
   * The content entities to plan, known after the `containers` phase: what `--entities`
   * leaves once each member ("joined"), group and connection has its entity.
   */
  content: { statuses: number; blogs: number; topics: number };
  /** Reserves explicit ids in a table (its sequence is moved past them at the end, on PostgreSQL). */
  firstId(table: string): Promise<number>;
  /** Adds to the figures printed at the end. */
  count(name: string, n: number): void;
  /** Adds a page to bench-targets.json; `order` places it in the list. */
  page(order: number, name: string, path: string): void;
}

/**
 * A plugin's part of the bench seed, one hook per phase, each called in dependsOn order:
 * `networks` (before the transaction: sub-networks), `people` (after users and memberships),
 * `graph` (follows, connections), `containers` (groups and their members, in memory),
 * `plan` (the plugin's entities in `entities`, with its row writer), `prepare` (once entities
 * are numbered), `write` (rows that follow entities), `interact` (comments, reactions on
 * every planned entity), `targets` (pages for the benchmark).
 */
export interface BenchHooks {
  networks?: SeedPhase<BenchSeed>;
  /** First thing in the seed's transaction, before any row (e.g. suspend row triggers the bulk writes would run per row). */
  start?: SeedPhase<BenchSeed>;
  people?: SeedPhase<BenchSeed>;
  graph?: SeedPhase<BenchSeed>;
  containers?: SeedPhase<BenchSeed>;
  plan?: SeedPhase<BenchSeed>;
  prepare?: SeedPhase<BenchSeed>;
  write?: SeedPhase<BenchSeed>;
  interact?: SeedPhase<BenchSeed>;
  targets?: SeedPhase<BenchSeed>;
  /** Last thing in the seed's transaction, after every row (e.g. fill counters from the rows, put triggers back). */
  finish?: SeedPhase<BenchSeed>;
}

/**
 * The `start` and `finish` of a seeder whose count triggers would run once per bulk-written row:
 * `suspend` turns them off before any row, `rebuild` counts from the rows once at the end (and puts them back).
 */
export const countsRebuiltAtEnd = (
  suspend: (db: Knex) => Promise<void>,
  rebuild: (db: Knex) => Promise<void>,
): Required<Pick<BenchHooks, 'start' | 'finish'>> => ({
  start: (b) => suspend(b.db),
  finish: (b) => rebuild(b.db),
});

export const BENCH_PHASES = ['start', 'people', 'graph', 'containers', 'plan', 'prepare', 'write', 'interact', 'targets', 'finish'] as const;

/** When member m joined group g (container_members.created_at): never before either exists. */
export const joinedGroupAt = (b: BenchSeed, m: number, g: number): number =>
  Math.min(Math.max(b.members.joinAt[m], b.groups.createdAt[g]) + (m === b.groups.owner[g] ? 0 : 3_600_000), b.clock.end);

/** No groups (until the groups seeder plans them). */
export const noGroups = (): Groups => ({
  n: 0,
  owner: new Int32Array(0),
  createdAt: new Float64Array(0),
  visibility: [],
  name: [],
  members: [],
  entityId: new Int32Array(0),
});
