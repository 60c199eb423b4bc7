/**
 * The bench network held in memory while it is written: who the members are, whom they
 * follow and are connected to, which groups and sub-networks they belong to. Other steps
 * read it to pick owners, audiences and times that make sense together.
 */
import type { Knex } from 'knex';
import type { Clock } from './clock';
import type { Plan } from './plan';
import type { Progress } from './progress';
import type { Rng, Zipf } from './rng';
import type { ActivityCollector } from './activity';
import type { Writer } from './writer';

export type Visibility = 'open' | 'closed' | 'secret';

export interface Members {
  n: number;
  /** users.id of member i (members are numbered in joining order). */
  id: Int32Array;
  username: string[];
  joinAt: Float64Array;
  /** UTC offset in hours. */
  tz: Float64Array;
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

export interface SeedContext {
  db: Knex;
  rng: Rng;
  clock: Clock;
  plan: Plan;
  writer: Writer;
  progress: Progress;
  activity: ActivityCollector;
  rootId: number;
  /** The shared password's hash (hashed once with the app's own function). */
  passwordHash: string;
  members: Members;
  groups: Groups;
  subnets: Subnets;
}

/** When member m joined group g (container_members.created_at): never before either exists. */
export const joinedGroupAt = (c: SeedContext, m: number, g: number): number =>
  Math.min(Math.max(c.members.joinAt[m], c.groups.createdAt[g]) + (m === c.groups.owner[g] ? 0 : 3_600_000), c.clock.end);
