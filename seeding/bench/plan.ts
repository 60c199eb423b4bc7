/**
 * What a bench seed of a given size contains. `--entities` counts every row the seed adds to
 * `entities`: one "joined" entity per member (as the activity plugin records), one per
 * group, one per accepted connection, and the content (status posts, blog posts, topics).
 * The plugins' seeders share these figures out (seeding/bench/model.ts).
 */
export interface SeedOptions {
  members: number;
  entities: number;
  groups: number;
  seed: number;
}

export const DEFAULTS: SeedOptions = { members: 10_000, entities: 300_000, groups: 1_000, seed: 1 };
export const LIMITS = { members: [10, 2_000_000], entities: [1, 50_000_000], groups: [1, 1_000_000], seed: [0, 2_147_483_647] } as const;

export interface Plan extends SeedOptions {
  connections: number;
  statuses: number;
  blogs: number;
  topics: number;
  /** Topics with 1,000+ replies, and their reply counts. */
  hotReplies: number[];
  replies: number;
  comments: number;
  likes: number;
}

export class PlanError extends Error {}

/** The smallest `--entities` for this many members and groups. */
export const minEntities = (members: number, groups: number): number => members + groups + 30;

export function makePlan(o: SeedOptions): Plan {
  const min = minEntities(o.members, o.groups);
  if (o.entities < min)
    throw new PlanError(
      `--entities: at least ${min} for ${o.members} members and ${o.groups} groups (each member and each group is an entity, plus some content)`,
    );
  const free = o.entities - o.members - o.groups;
  const connections = Math.floor(Math.min(o.members * 2, free * 0.1));
  const content = free - connections;
  const blogs = Math.max(1, Math.round(content * 0.12));
  const topics = Math.max(2, Math.round(content * 0.1));
  const statuses = content - blogs - topics;
  const hot = Math.max(1, Math.min(5, Math.round(o.entities / 100_000)));
  const hotReplies = Array.from({ length: hot }, (_, i) => 1_000 + Math.round((600 * (hot - i)) / hot));
  return {
    ...o,
    connections,
    statuses,
    blogs,
    topics,
    hotReplies,
    replies: Math.round(o.entities * 0.25),
    comments: Math.round(o.entities * 1.2),
    likes: Math.round(o.entities * 2.35),
  };
}
