/**
 * The audit log: one row per action of an administrator or moderator — who, what (an
 * action key `<owner>.<what>`, e.g. `admin.plugin.enable`), on which object (a type and an
 * id), in which network, the values before and after (JSON), when, and from which address.
 * The core and every plugin write to it (`rt.audit.record`, or `auditAction(ctx, …)` from a
 * route handler, core/audit/audit-request.ts); the admin page `/admin/audit` reads it.
 * Rows older than `audit.retentionDays` (config) are deleted by the core's housekeeping.
 */
import type { Knex } from 'knex';

export interface AuditEntry {
  /** `<owner>.<what>`: the owner's i18n has `<owner>.audit.<what>` as its label. */
  action: string;
  /** The network the object belongs to; null for installation-wide objects. */
  networkId: number | null;
  actorId: number | null;
  /** The actor's name when they acted (kept when the account goes). */
  actorName?: string;
  objectType?: string;
  objectId?: string | number;
  /** What changed, before and after (any JSON value; objects are reduced to their changed keys by `changes`). */
  before?: unknown;
  after?: unknown;
  /**
   * The owner's own record of the action, when it keeps one (the moderation plugin's decision
   * id): the owner's `audit:links` answer links the entry to it, for viewers who may open it.
   */
  ref?: string | number;
  ip?: string | null;
  at?: number;
}

export interface AuditRow {
  id: number;
  networkId: number | null;
  actorId: number | null;
  actorName: string;
  action: string;
  objectType: string;
  objectId: string;
  before: unknown;
  after: unknown;
  /** `AuditEntry.ref`, or null. */
  ref: string | null;
  ip: string | null;
  createdAt: number;
}

/** Where an entry's record is shown (`audit:links`): its address and the link's words, translated. */
export interface AuditLink {
  href: string;
  label: string;
}

export interface AuditQuery {
  /** Only rows of these networks; undefined: every network, and installation-wide rows. */
  networkIds?: readonly number[];
  actorId?: number;
  action?: string;
  objectType?: string;
  objectId?: string;
  /** Rows at or after this time (ms)... */
  from?: number;
  /** ...and before this one. */
  to?: number;
  /** Keyset: rows with an id below this one. */
  before?: number;
  limit?: number;
}

export const AUDIT_PAGE_SIZE = 50;
const MAX_JSON = 20_000;

const short = (text: string, max: number): string => (text.length > max ? text.slice(0, max) : text);

function toJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return short(JSON.stringify(value), MAX_JSON);
}

function fromJson(text: unknown): unknown {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The keys of two flat records whose values differ, as `{ before, after }` holding only
 * those keys (null when nothing changed): what an entry records for a settings form.
 */
export function changes(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const changed = keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  if (!changed.length) return null;
  return {
    before: Object.fromEntries(changed.map((k) => [k, before[k] ?? null])),
    after: Object.fromEntries(changed.map((k) => [k, after[k] ?? null])),
  };
}

export class AuditLog {
  constructor(private readonly db: Knex) {}

  /** Writes one entry (inside `trx` when given, so it lands with the change it describes). */
  async record(entry: AuditEntry, trx?: Knex.Transaction): Promise<void> {
    await (trx ?? this.db)('audit_log').insert({
      network_id: entry.networkId,
      actor_id: entry.actorId,
      actor_name: short(entry.actorName ?? '', 200),
      action: short(entry.action, 100),
      object_type: short(entry.objectType ?? '', 50),
      object_id: short(entry.objectId === undefined ? '' : String(entry.objectId), 100),
      before: toJson(entry.before),
      after: toJson(entry.after),
      ref: entry.ref === undefined ? null : short(String(entry.ref), 100),
      ip: entry.ip ? short(entry.ip, 64) : null,
      created_at: entry.at ?? Date.now(),
    });
  }

  private filtered(query: AuditQuery): Knex.QueryBuilder {
    const q = this.db('audit_log');
    if (query.networkIds) q.whereIn('network_id', [...query.networkIds]);
    if (query.actorId !== undefined) q.where('actor_id', query.actorId);
    if (query.action) q.where('action', query.action);
    if (query.objectType) q.where('object_type', query.objectType);
    if (query.objectId) q.where('object_id', query.objectId);
    if (query.from !== undefined) q.where('created_at', '>=', query.from);
    if (query.to !== undefined) q.where('created_at', '<', query.to);
    return q;
  }

  /** The newest rows matching `query`, and the cursor of the next page (undefined on the last). */
  async page(query: AuditQuery): Promise<{ rows: AuditRow[]; next?: number }> {
    const limit = query.limit ?? AUDIT_PAGE_SIZE;
    const q = this.filtered(query);
    if (query.before !== undefined) q.where('id', '<', query.before);
    const raw = (await q.orderBy('id', 'desc').limit(limit + 1)) as Record<string, unknown>[];
    const rows = raw.slice(0, limit).map(toRow);
    return { rows, next: raw.length > limit ? rows[rows.length - 1].id : undefined };
  }

  /** Every row matching `query`, newest first, read page by page (for the CSV export). */
  async *all(query: AuditQuery): AsyncGenerator<AuditRow> {
    let before = query.before;
    for (;;) {
      const { rows, next } = await this.page({ ...query, before, limit: 500 });
      yield* rows;
      if (next === undefined) return;
      before = next;
    }
  }

  /** The action keys and object types present in these networks, for the filters. */
  async facets(networkIds?: readonly number[]): Promise<{ actions: string[]; objectTypes: string[] }> {
    const q = () => this.filtered({ networkIds });
    const actions = (await q().distinct('action').orderBy('action')) as { action: string }[];
    const types = (await q().distinct('object_type').whereNot('object_type', '').orderBy('object_type')) as { object_type: string }[];
    return { actions: actions.map((r) => r.action), objectTypes: types.map((r) => r.object_type) };
  }

  /** Deletes the rows written before `before` (ms); returns how many went. */
  async purge(before: number): Promise<number> {
    return Number(await this.db('audit_log').where('created_at', '<', before).delete());
  }
}

/** An audit_log row as read (JSON columns parsed). */
export function toRow(r: Record<string, unknown>): AuditRow {
  return {
    id: Number(r.id),
    networkId: r.network_id === null ? null : Number(r.network_id),
    actorId: r.actor_id === null ? null : Number(r.actor_id),
    actorName: String(r.actor_name ?? ''),
    action: String(r.action),
    objectType: String(r.object_type ?? ''),
    objectId: String(r.object_id ?? ''),
    before: fromJson(r.before),
    after: fromJson(r.after),
    ref: r.ref === null || r.ref === undefined ? null : String(r.ref),
    ip: (r.ip as string | null) ?? null,
    createdAt: Number(r.created_at),
  };
}
