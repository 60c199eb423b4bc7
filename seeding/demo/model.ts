/**
 * The demo network while it is written: the people of the company (three countries) and of
 * its partner, the groups and the posts the plugins' seeders add, phase by phase, so later
 * seeders can comment on and react to what earlier ones posted.
 */
import type { Knex } from 'knex';
import type { Locale, Runtime } from '../../core';
import type { Rng } from '../kit/rng';
import type { SeedPhase } from '../seeder';

export type Country = 'fr' | 'ca' | 'sg';

export interface DemoPerson {
  /** users.id. */
  id: number;
  username: string;
  name: string;
  /** The partner company's people belong to the partner network only. */
  company: 'company' | 'partner';
  country: Country;
  city: string;
  department: string;
  jobTitle: string;
  locale: Locale;
  joinedAt: number;
}

export interface DemoGroup {
  id: number;
  name: string;
  visibility: 'open' | 'closed' | 'secret';
  /** users.id of the members (the owner first). */
  members: number[];
}

/** An entity others may comment on or react to. */
export interface DemoPost {
  id: number;
  type: string;
  owner: number;
  networkId: number;
  /** Who may see it, as users.id (comments and reactions come from them). */
  audience: number[];
  at: number;
  commentable: boolean;
}

export interface NewDemoEntity {
  type: string;
  owner: number;
  access: 'private' | 'friends' | 'group' | 'network' | 'members' | 'public';
  networkId?: number;
  containerId?: number | null;
  at: number;
}

export interface DemoSeed {
  rt: Runtime;
  /** The seed's transaction: everything is written or nothing. */
  db: Knex.Transaction;
  rng: Rng;
  locale: Locale;
  /** The text in the demo's language. */
  t(en: string, fr: string): string;
  /** A moment `days` ago (fractions allowed), at a working hour. */
  ago(days: number): number;
  rootId: number;
  partnerId: number;
  people: DemoPerson[];
  /** The company's people (not the partner's). */
  staff: DemoPerson[];
  partners: DemoPerson[];
  /** Who to sign in as. */
  login: DemoPerson;
  groups: DemoGroup[];
  posts: DemoPost[];
  /** Inserts a row in a table with an `id` column; returns the id. */
  insertId(table: string, row: Record<string, unknown>): Promise<number>;
  /** Inserts an `entities` row; returns its id. */
  entity(e: NewDemoEntity): Promise<number>;
  /** Records an act in the activity river. */
  activity(verb: string, actorId: number, entityId: number, networkId: number, objectId: number | null, at: number): Promise<void>;
  /** Adds to the figures printed at the end. */
  count(name: string, n: number): void;
}

/**
 * A plugin's part of the demo, one hook per phase, each called in dependsOn order:
 * `people` (profiles, connections), `containers` (groups), `content` (posts, articles,
 * discussions, conversations), `reactions` (comments, likes on `posts`); then `finish`, once
 * everything is written, the activity's containers filled and each member's last activity
 * (`users.last_active_at`) set (the analytics plugin's page views and rollups).
 */
export interface DemoHooks {
  people?: SeedPhase<DemoSeed>;
  containers?: SeedPhase<DemoSeed>;
  content?: SeedPhase<DemoSeed>;
  reactions?: SeedPhase<DemoSeed>;
  finish?: SeedPhase<DemoSeed>;
}

export const DEMO_PHASES = ['people', 'containers', 'content', 'reactions'] as const;
