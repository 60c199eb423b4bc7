/**
 * The dashboard's figures, read from the rollups (rollup.ts) and the core's tables
 * (memberships, container members, invitations, entities), never from a plugin's tables.
 * A scope is a network (`containerId` 0) or one group of it.
 */
import type { Knex } from 'knex';
import { PERSON_KIND, type Runtime, type Viewer } from '../../core';
import type { Period } from './period';
import { DAY_MS } from './verbs';
import { RANKED_CONTENTS } from './rollup';
import { actsColumn, setColumn, SETS, windowOf, type WindowDays } from './windows';

export interface Scope {
  networkId: number;
  /** 0: the whole network; else the group's entity id. */
  containerId: number;
}

export interface Funnel {
  members: number;
  active: number;
  participating: number;
  contributing: number;
}

export interface MemberFacts {
  /** Active accounts among the members now. */
  members: number;
  /** Members who joined during the period. */
  registered: number;
  /** Invitations sent during the period (null for a group). */
  invited: number | null;
}

export interface DayFigures {
  day: number;
  dau: number;
  wau: number;
  mau: number;
  contributions: number;
  comments: number;
  reactions: number;
}

export interface Ranked {
  id: number;
  acts: number;
}

export interface ContentRow extends Ranked {
  type: string;
  ownerName: string;
  createdAt: number;
}

export interface ContributorRow {
  id: number;
  username: string;
  name: string;
  contributions: number;
  participations: number;
}

export interface Responses {
  topics: number;
  answered: number;
  /** Median time to the first reply of the answered ones, ms (null: none answered). */
  medianMs: number | null;
}

/** The members who hold one value of a profile field (`profiles:membersWith`). */
export interface ValueMembers {
  value: string;
  ids: readonly number[];
}

/** One value's row of the adoption table: its members in the scope, and how many were active, participating, contributing. */
export interface AdoptionRow extends Funnel {
  /** Null for the members who hold none of the values. */
  value: string | null;
}

const num = (v: unknown): number => Number(v ?? 0);
export const TOP_LIMIT = 10;
/** The ranked contents checked for the viewer at a time (most are visible to an admin: one batch). */
const CANDIDATES = 40;

export class AnalyticsService {
  static readonly uses = ['db', 'access', 'links'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof AnalyticsService.uses)[number]>) {}

  private memberDays(scope: Scope, from: number, to: number): Knex.QueryBuilder {
    return this.rt
      .db('analytics_member_days')
      .where({ network_id: scope.networkId, container_id: scope.containerId })
      .whereBetween('day', [from, to]);
  }

  /** The last day rolled up in the network (rolled up again at the next run; the days before it are final), or null. */
  private async lastDay(networkId: number): Promise<number | null> {
    const state = (await this.rt.db('analytics_rollup').where('network_id', networkId).first('last_day')) as { last_day: unknown } | undefined;
    return state ? num(state.last_day) : null;
  }

  /**
   * The window [from, to] is (the last 7, 28 or 90 days up to a day rolled up), else null:
   * its figures are then one row of `analytics_days` per scope, read at `to`.
   */
  private async windowOf(networkId: number, from: number, to: number): Promise<WindowDays | null> {
    const days = windowOf(to - from + 1);
    if (days === null) return null;
    const last = await this.lastDay(networkId);
    return last !== null && last >= to ? days : null;
  }

  /**
   * The members active in [from, to], each with whether they participated and contributed.
   * A period ending on or after the last final day reads each member's last days
   * (`analytics_member_last`, one row per member) and the member-days of the days not final
   * yet; any other period reads every member-day of the period.
   */
  private async activeMembers(scope: Scope, from: number, to: number): Promise<Map<number, { p: boolean; c: boolean }>> {
    const db = this.rt.db;
    const perMember = (q: Knex.QueryBuilder) =>
      q
        .groupBy('user_id')
        .select(
          'user_id',
          db.raw('max(case when participations > 0 or contributions > 0 then 1 else 0 end) as p'),
          db.raw('max(case when contributions > 0 then 1 else 0 end) as c'),
        ) as Promise<{ user_id: unknown; p: unknown; c: unknown }[]>;
    const last = (await this.lastDay(scope.networkId)) ?? Infinity;
    const rows =
      to >= last - 1
        ? [
            ...((await db('analytics_member_last')
              .where({ network_id: scope.networkId, container_id: scope.containerId })
              .where('active_day', '>=', from)
              .select(
                'user_id',
                db.raw('case when participated_day >= ? then 1 else 0 end as p', [from]),
                db.raw('case when contributed_day >= ? then 1 else 0 end as c', [from]),
              )) as { user_id: unknown; p: unknown; c: unknown }[]),
            ...(await perMember(this.memberDays(scope, Math.max(from, last), to))),
          ]
        : await perMember(this.memberDays(scope, from, to));
    const members = new Map<number, { p: boolean; c: boolean }>();
    for (const r of rows) {
      const m = members.get(Number(r.user_id)) ?? { p: false, c: false };
      m.p ||= num(r.p) > 0;
      m.c ||= num(r.c) > 0;
      members.set(Number(r.user_id), m);
    }
    return members;
  }

  /** Members (`members` when the caller has counted them), and the distinct ones active, participating and contributing in [from, to]. */
  async funnel(scope: Scope, from: number, to: number, members?: number): Promise<Funnel> {
    const window = await this.windowOf(scope.networkId, from, to);
    let counts: Omit<Funnel, 'members'>;
    if (window) {
      const row = (await this.rt
        .db('analytics_days')
        .where({ network_id: scope.networkId, container_id: scope.containerId, day: to })
        .first(SETS.map((set) => `${setColumn(set, window)} as ${set}`))) as Record<string, unknown> | undefined;
      counts = { active: num(row?.active), participating: num(row?.participating), contributing: num(row?.contributing) };
    } else {
      const members = [...(await this.activeMembers(scope, from, to)).values()];
      counts = { active: members.length, participating: members.filter((m) => m.p).length, contributing: members.filter((m) => m.c).length };
    }
    return { members: members ?? (await this.memberFacts(scope, from, to)).members, ...counts };
  }

  /**
   * Adoption by a profile field's values (a site, a department): for each value, the scope's
   * active members holding it and, from the rollups, those active, participating and
   * contributing in [from, to]; then the members holding none of them. A member with several
   * values (a multiple choice) counts in each.
   */
  async adoption(scope: Scope, from: number, to: number, values: readonly ValueMembers[]): Promise<AdoptionRow[]> {
    const db = this.rt.db;
    const base = scope.containerId
      ? db('container_members as m').where('m.container_id', scope.containerId)
      : db('memberships as m').where('m.network_id', scope.networkId).whereNot('m.role', 'guest');
    const members = new Set(
      (
        (await base.join('users as u', 'u.id', 'm.user_id').where({ 'u.status': 'active', 'u.kind': PERSON_KIND }).pluck('m.user_id')) as unknown[]
      ).map(Number),
    );
    const flags = await this.activeMembers(scope, from, to);
    const row = (value: string | null, ids: Iterable<number>): AdoptionRow => {
      const out: AdoptionRow = { value, members: 0, active: 0, participating: 0, contributing: 0 };
      for (const id of ids) {
        if (!members.has(id)) continue;
        out.members++;
        const f = flags.get(id);
        if (!f) continue;
        out.active++;
        if (f.p) out.participating++;
        if (f.c) out.contributing++;
      }
      return out;
    };
    const holding = new Set(values.flatMap((v) => v.ids.map(Number)));
    return [
      ...values.map((v) => row(v.value, new Set(v.ids.map(Number)))),
      row(
        null,
        [...members].filter((id) => !holding.has(id)),
      ),
    ];
  }

  async memberFacts(scope: Scope, from: number, to: number): Promise<MemberFacts> {
    const lo = from * DAY_MS;
    const hi = (to + 1) * DAY_MS;
    const db = this.rt.db;
    const base = scope.containerId
      ? db('container_members as m').where('m.container_id', scope.containerId)
      : db('memberships as m').where('m.network_id', scope.networkId).whereNot('m.role', 'guest');
    const row = (await base
      .join('users as u', 'u.id', 'm.user_id')
      .where({ 'u.status': 'active', 'u.kind': PERSON_KIND })
      .select(
        db.raw('count(*) as members'),
        db.raw('sum(case when m.created_at >= ? and m.created_at < ? then 1 else 0 end) as registered', [lo, hi]),
      )
      .first()) as Record<string, unknown> | undefined;
    return {
      members: num(row?.members),
      registered: num(row?.registered),
      invited: scope.containerId ? null : await this.rt.links.countInvitations(scope.networkId, lo, hi),
    };
  }

  /** One row per day of [from, to], days without a rollup as zeros. */
  async days(scope: Scope, from: number, to: number): Promise<DayFigures[]> {
    const rows = (await this.rt
      .db('analytics_days')
      .where({ network_id: scope.networkId, container_id: scope.containerId })
      .whereBetween('day', [from, to])
      .select('day', 'dau', 'wau', 'mau', 'contributions', 'comments', 'reactions')) as Record<string, unknown>[];
    const byDay = new Map(rows.map((r) => [num(r.day), r]));
    const out: DayFigures[] = [];
    for (let day = from; day <= to; day++) {
      const r = byDay.get(day);
      out.push({
        day,
        dau: num(r?.dau),
        wau: num(r?.wau),
        mau: num(r?.mau),
        contributions: num(r?.contributions),
        comments: num(r?.comments),
        reactions: num(r?.reactions),
      });
    }
    return out;
  }

  /** The network's groups with the most acts in the period, those the viewer may see. */
  async topGroups(viewer: Viewer, networkId: number, period: Period): Promise<Ranked[]> {
    const db = this.rt.db;
    const window = await this.windowOf(networkId, period.from, period.to);
    const q = db('analytics_days as d')
      .join('entities as e', 'e.id', 'd.container_id')
      .where('d.network_id', networkId)
      .where('d.container_id', '>', 0)
      .modify(this.rt.access.visibleTo(viewer, 'e'))
      .orderBy([{ column: 'acts', order: 'desc' }, { column: 'id' }])
      .limit(TOP_LIMIT);
    if (window) q.where('d.day', period.to).select('d.container_id as id', `d.${actsColumn(window)} as acts`);
    else
      q.whereBetween('d.day', [period.from, period.to])
        .groupBy('d.container_id')
        .select('d.container_id as id', db.raw('sum(d.contributions + d.comments + d.reactions) as acts'));
    const rows = (await q) as Record<string, unknown>[];
    return rows.map((r) => ({ id: num(r.id), acts: num(r.acts) })).filter((r) => r.acts > 0);
  }

  /**
   * The contents with the most reactions, comments and replies in the period, those the viewer
   * may see. The network's preset periods read the ranking the rollup keeps
   * (`analytics_top_contents`); other periods, groups, and a viewer who may see too few of the
   * kept ones sum the period's acts per content from `analytics_content_days` alone (its covering
   * indexes). Either way the best ranked are checked for the viewer CANDIDATES at a time
   * (`access.visibleTo`) until TOP_LIMIT are kept, instead of joining every content of the
   * period to the access rules.
   */
  async topContents(viewer: Viewer, scope: Scope, period: Period): Promise<ContentRow[]> {
    const db = this.rt.db;
    const window = scope.containerId ? null : await this.windowOf(scope.networkId, period.from, period.to);
    if (window) {
      const kept = db('analytics_top_contents')
        .where({ network_id: scope.networkId, window_days: window, day: period.to })
        .orderBy('place')
        .select('entity_id as id', 'acts');
      const { rows, read } = await this.visibleRanked(viewer, kept);
      // The whole ranking was kept, or enough of it is visible: the same rows as summing again.
      if (rows.length >= TOP_LIMIT || (read > 0 && read < RANKED_CONTENTS)) return rows;
    }
    const ranked = db('analytics_content_days')
      .where('network_id', scope.networkId)
      .whereBetween('day', [period.from, period.to])
      .groupBy('entity_id')
      .select('entity_id as id', db.raw('sum(acts) as acts'))
      .orderBy([{ column: 'acts', order: 'desc' }, { column: 'id' }]);
    if (scope.containerId) ranked.where('container_id', scope.containerId);
    return (await this.visibleRanked(viewer, ranked)).rows;
  }

  /** The first TOP_LIMIT contents of a ranking (`id`, `acts`, best first) the viewer may see, and how many ranked rows were read. */
  private async visibleRanked(viewer: Viewer, ranked: Knex.QueryBuilder): Promise<{ rows: ContentRow[]; read: number }> {
    const db = this.rt.db;
    const out: ContentRow[] = [];
    let read = 0;
    for (let offset = 0; out.length < TOP_LIMIT; offset += CANDIDATES) {
      const batch = ((await ranked.clone().offset(offset).limit(CANDIDATES)) as Record<string, unknown>[]).map((r) => ({
        id: num(r.id),
        acts: num(r.acts),
      }));
      read += batch.length;
      if (batch.length === 0) break;
      const seen = (await db('entities as e')
        .join('users as o', 'o.id', 'e.owner_id')
        .whereIn(
          'e.id',
          batch.map((r) => r.id),
        )
        .modify(this.rt.access.visibleTo(viewer, 'e'))
        .select('e.id', 'e.type', 'o.display_name as owner_name', 'e.created_at')) as Record<string, unknown>[];
      const byId = new Map(seen.map((r) => [num(r.id), r]));
      for (const { id, acts } of batch) {
        const e = byId.get(id);
        if (e && out.length < TOP_LIMIT) out.push({ id, acts, type: String(e.type), ownerName: String(e.owner_name), createdAt: num(e.created_at) });
      }
      if (batch.length < CANDIDATES) break;
    }
    return { rows: out, read };
  }

  /** The members who contributed and participated most (shown only where the network allows). */
  async topContributors(scope: Scope, period: Period): Promise<ContributorRow[]> {
    const db = this.rt.db;
    const rows = (await this.memberDays(scope, period.from, period.to)
      .join('users as u', 'u.id', 'analytics_member_days.user_id')
      .where('u.status', 'active')
      .groupBy('u.id', 'u.username', 'u.display_name')
      .select('u.id', 'u.username', 'u.display_name', db.raw('sum(contributions) as contributions'), db.raw('sum(participations) as participations'))
      .havingRaw('sum(contributions) + sum(participations) > 0')
      .orderBy([{ column: 'contributions', order: 'desc' }, { column: 'participations', order: 'desc' }, { column: 'u.id' }])
      .limit(TOP_LIMIT)) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: num(r.id),
      username: String(r.username),
      name: String(r.display_name),
      contributions: num(r.contributions),
      participations: num(r.participations),
    }));
  }

  /** Discussions started in [from, to]: how many, how many answered, the median time to the first reply. */
  async responses(scope: Scope, from: number, to: number): Promise<Responses> {
    const q = this.rt
      .db('analytics_topics')
      .where('network_id', scope.networkId)
      .where('started_at', '>=', from * DAY_MS)
      .where('started_at', '<', (to + 1) * DAY_MS)
      .select('started_at', 'first_reply_at');
    if (scope.containerId) q.where('container_id', scope.containerId);
    const rows = (await q) as { started_at: unknown; first_reply_at: unknown }[];
    const delays = rows
      .filter((r) => r.first_reply_at !== null)
      .map((r) => num(r.first_reply_at) - num(r.started_at))
      .sort((a, b) => a - b);
    const mid = delays.length >> 1;
    const median = delays.length === 0 ? null : delays.length % 2 ? delays[mid] : Math.round((delays[mid - 1] + delays[mid]) / 2);
    return { topics: rows.length, answered: delays.length, medianMs: median };
  }
}
