/**
 * Every entity of the bench network, planned in memory by the plugins' seeders (`plan`
 * phase), numbered in time order so ids grow with time as when the app records them one by
 * one (feeds page by id), then written in id order: the core's `entities` row, then the
 * owning plugin's rows through the writer it registered for its type.
 */
import { DAY } from '../kit/clock';
import type { TableBuffer } from '../kit/writer';
import type { BenchSeed } from './model';
import { joinedGroupAt } from './model';

export const ACCESS = ['private', 'friends', 'group', 'network', 'members', 'public'] as const;
export type Level = (typeof ACCESS)[number];
export const A = { private: 0, friends: 1, group: 2, network: 3, members: 4, public: 5 } as const;

/** Writes a plugin's rows for its planned entities, in id order. */
export interface EntityRows {
  /** Opens the plugin's table buffers (after the core's `entities` buffer, which they reference). */
  open(): void;
  /** Writes the rows of planned entity k (its `entities` row is already buffered). */
  row(k: number): Promise<void>;
  close(): Promise<void>;
}

export interface EntityKind {
  type: string;
  rows: EntityRows;
  /** Mean span in days over which comments arrive (0: not commented). */
  commentDays?: number;
  /** Relative share of reactions (0: none). */
  likes?: number;
}

export class EntityPlan {
  readonly kinds: EntityKind[] = [];
  count = 0;
  readonly kind: Uint8Array;
  readonly owner: Int32Array;
  /** Group index, or -1. */
  readonly group: Int32Array;
  readonly network: Int32Array;
  readonly access: Uint8Array;
  readonly at: Float64Array;
  /** Connections: the member who asked; groups: the group index. */
  readonly aux: Int32Array;
  /** 1 for an entity that is its own container (a secret group). */
  readonly ownContainer: Uint8Array;
  /** Comments on each entity (filled by the comments seeder). */
  readonly comments: Int32Array;
  readonly id: Int32Array;
  /** Plan indexes in id order. */
  readonly order: Uint32Array;

  constructor(
    readonly n: number,
    rootId: number,
  ) {
    this.kind = new Uint8Array(n);
    this.owner = new Int32Array(n);
    this.group = new Int32Array(n).fill(-1);
    this.network = new Int32Array(n).fill(rootId);
    this.access = new Uint8Array(n);
    this.at = new Float64Array(n);
    this.aux = new Int32Array(n).fill(-1);
    this.ownContainer = new Uint8Array(n);
    this.comments = new Int32Array(n);
    this.id = new Int32Array(n);
    this.order = new Uint32Array(n);
  }

  /** Declares an entity type and how its rows are written; returns its code for `add`. */
  register(kind: EntityKind): number {
    this.kinds.push(kind);
    return this.kinds.length - 1;
  }

  typeOf(k: number): string {
    return this.kinds[this.kind[k]].type;
  }

  /** Plans one entity; returns its plan index. */
  add(kind: number, owner: number, access: number, at: number): number {
    if (this.count >= this.n) throw new Error(`bench seed: more than ${this.n} entities planned`);
    const k = this.count++;
    this.kind[k] = kind;
    this.owner[k] = owner;
    this.access[k] = access;
    this.at[k] = at;
    return k;
  }

  /** Numbers the planned entities in time order from `firstId`. */
  number(firstId: number): void {
    if (this.count !== this.n) throw new Error(`bench seed: planned ${this.count} entities instead of ${this.n}`);
    const at = this.at;
    for (let i = 0; i < this.n; i++) this.order[i] = i;
    this.order.sort((a, b) => at[a] - at[b] || a - b);
    for (let r = 0; r < this.n; r++) this.id[this.order[r]] = firstId + r;
  }
}

/**
 * Plans a post by an active member: in one of their groups (30%), in their sub-network
 * (`subnets`, 10% more), or in the network for one of `levels` (weights; `friends` only for
 * a member with connections).
 */
export function placeContent(b: BenchSeed, kind: number, subnets: boolean, levels: readonly (readonly [number, number])[]): number {
  const { members: m, groups: g, rng, clock } = b;
  const owner = m.active.draw(rng);
  let lo = m.joinAt[owner];
  let access: number;
  let group = -1;
  let network = -1;
  const r = rng.next();
  const mine = m.groups[owner];
  if (mine.length && r < 0.3) {
    group = mine[rng.int(0, mine.length - 1)];
    access = g.visibility[group] === 'open' ? A.network : A.group;
    lo = joinedGroupAt(b, owner, group);
  } else if (subnets && m.subnets[owner].length && r < 0.4) {
    network = b.subnets.id[m.subnets[owner][0]];
    access = A.network;
  } else {
    access = rng.weighted(
      levels.map(([level]) => level),
      levels.map(([level, w]) => (level === A.friends && !m.friends[owner].length ? 0 : w)),
    );
  }
  const k = b.entities.add(kind, owner, access, clock.at(rng, lo + 60_000, clock.end, m.tz[owner]));
  b.entities.group[k] = group;
  if (network >= 0) b.entities.network[k] = network;
  return k;
}

/** Writes every planned entity in id order: the `entities` row and the owner's rows. */
export async function writeEntities(b: BenchSeed): Promise<void> {
  const { members: m, groups: g, entities: p, writer } = b;
  const table = writer.table('entities', ['id', 'type', 'owner_id', 'container_id', 'network_id', 'access', 'created_at', 'updated_at']);
  for (const kind of p.kinds) kind.rows.open();
  for (const k of p.order) {
    const id = p.id[k];
    const at = p.at[k];
    const kind = p.kinds[p.kind[k]];
    const container = p.ownContainer[k] ? id : p.group[k] >= 0 ? g.entityId[p.group[k]] : null;
    if (table.add([id, kind.type, m.id[p.owner[k]], container, p.network[k], ACCESS[p.access[k]], at, at])) await table.flush();
    await kind.rows.row(k);
  }
  await table.close();
  for (const kind of p.kinds) await kind.rows.close();
}

/** Draws a member who may see entity k, or null when nobody but its owner may. */
export function audience(b: BenchSeed, k: number): { size: number; draw: () => number } | null {
  const { members: m, groups: g, rng, entities: p } = b;
  const access = ACCESS[p.access[k]];
  const owner = p.owner[k];
  const uniform = (list: readonly number[]) => ({ size: list.length, draw: () => list[rng.int(0, list.length - 1)] });
  if (access === 'private') return null;
  if (access === 'friends') return m.friends[owner].length ? uniform(m.friends[owner]) : null;
  if (access === 'group') {
    const gi = p.group[k] >= 0 ? p.group[k] : p.aux[k];
    return uniform(g.members[gi]);
  }
  if (access === 'network' && p.network[k] !== b.rootId) return uniform(b.subnets.members[b.subnets.id.indexOf(p.network[k])]);
  if (p.group[k] >= 0) {
    const list = g.members[p.group[k]];
    return { size: m.n, draw: () => (rng.chance(0.7) ? list[rng.int(0, list.length - 1)] : m.active.draw(rng)) };
  }
  return { size: m.n, draw: () => m.active.draw(rng) };
}

/** Times after t0, ascending: a burst in the first days, then a slower tail. */
export function timesAfter(b: BenchSeed, t0: number, n: number, spanDays: number, tz: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = b.clock.after(b.rng, t0, (b.rng.chance(0.7) ? 0.1 : 1) * spanDays * DAY, tz);
  return out.sort();
}

/** How many of `budget` items each entity gets: heavy-tailed weights times `factor(k)` (0: none), stochastic rounding. */
export function spread(b: BenchSeed, factor: (k: number) => number | boolean, budget: number): Int32Array {
  const n = b.entities.n;
  const weights = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) {
    const f = Number(factor(k));
    if (!f) continue;
    weights[k] = b.rng.pareto(1.2) * f;
    total += weights[k];
  }
  const counts = new Int32Array(n);
  if (!total) return counts;
  for (let k = 0; k < n; k++) if (weights[k]) counts[k] = Math.floor((budget * weights[k]) / total + b.rng.next());
  return counts;
}

/** Puts a row in one of the plugin's tables (flushed when its buffer is full). */
export type Put<T extends string> = (table: T, values: unknown[]) => Promise<void>;

/** The usual EntityRows: buffers for `tables` (name → columns), `row` fills them for each entity. */
export function entityRows<T extends string>(
  b: BenchSeed,
  tables: Record<T, readonly string[]>,
  row: (k: number, put: Put<T>) => Promise<void> | void,
): EntityRows {
  const buffers = new Map<T, TableBuffer>();
  const put: Put<T> = async (table, values) => {
    const t = buffers.get(table)!;
    if (t.add(values)) await t.flush();
  };
  return {
    open() {
      for (const [name, columns] of Object.entries(tables) as [T, readonly string[]][]) buffers.set(name, b.writer.table(name, columns));
    },
    row: async (k) => row(k, put),
    async close() {
      for (const t of buffers.values()) await t.close();
    },
  };
}
