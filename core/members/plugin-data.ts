/**
 * The member-data contract written once for plugins (core/members/contract.ts): a plugin names
 * its own tables and the columns that hold a member, and gets its two hook handlers.
 *
 *   hooks: [
 *     ...memberDataHooks('connections', {
 *       parts: [{ name: 'follows', table: 'follows', columns: ['follower_id', 'followee_id'], personal: true }],
 *     }),
 *   ],
 *
 * - `parts`: what goes in the member's archive, `<plugin>/<name>.json`, the rows of `table`
 *   where any of `columns` is the member, or whose entity (`entity: 'entity_id'`) they own (all
 *   columns, or `select`); `more` adds parts a plugin builds itself (what they received, files).
 * - `personal`: rows tying the member to people (follows, notifications, profile fields),
 *   removed when the account is kept anonymised: a part's rows by each of its `columns` when
 *   the part says `personal: true`, and these other `[table, column]` places. When it is erased, rows referencing `users`
 *   go by their foreign keys, and rows keyed by the member's entities with them.
 * - `erasing`: anything else the plugin does first, in either mode (remove bytes, give a
 *   message to the former member): it returns the report with its counts and storage keys.
 *
 * The plugin reads its own tables through this helper, never another plugin's.
 */
import type { Knex } from 'knex';
import { onFilter, type HookRegistration } from '../plugins/manifest';
import type { MemberDataPart, MemberErasure, MemberErasureContext, MemberExportContext } from './contract';
import { erased } from './contract';

export interface MemberTablePart {
  name: string;
  table: string;
  /** Columns holding a member: a row is theirs when any of them is. */
  columns?: readonly string[];
  /**
   * Or the column keying the row by an entity (`entity_id`): a row is theirs when they own the
   * entity; its type, access, network and dates come with it.
   */
  entity?: string;
  /** Columns to export (default all). */
  select?: readonly string[];
  /** Its rows are personal: removed, by each of `columns`, when the account is kept anonymised. */
  personal?: boolean;
}

export interface MemberDataSpec {
  parts?: readonly MemberTablePart[];
  more?: (context: MemberExportContext) => Promise<MemberDataPart[]>;
  personal?: readonly (readonly [table: string, column: string])[];
  erasing?: (report: MemberErasure, context: MemberErasureContext) => Promise<MemberErasure>;
}

/** Rows of `table` where any of `columns` is `userId`, as plain objects. */
export async function memberRows(db: Knex, userId: number, part: Omit<MemberTablePart, 'name'>): Promise<Record<string, unknown>[]> {
  if (!part.entity && !part.columns?.length) throw new Error(`member data of ${part.table}: name its member columns or its entity column`);
  const columns = (part.select ?? ['*']).map((c) => `r.${c}`);
  const query = db(`${part.table} as r`);
  if (part.entity)
    query
      .join('entities as e', 'e.id', `r.${part.entity}`)
      .where('e.owner_id', userId)
      .select(
        ...columns,
        'e.type as entity_type',
        'e.access as entity_access',
        'e.network_id as entity_network_id',
        'e.created_at as entity_created_at',
        'e.deleted_at as entity_deleted_at',
      );
  else
    query
      .where((q) => {
        for (const column of part.columns ?? []) q.orWhere(`r.${column}`, userId);
      })
      .select(...columns);
  return (await query).map((row: object) => ({ ...row }));
}

/** Removes the rows of each `[table, column]` holding `userId`; answers how many went. */
export async function removeMemberRows(db: Knex, userId: number, places: readonly (readonly [string, string])[]): Promise<number> {
  let n = 0;
  for (const [table, column] of places) n += await db(table).where(column, userId).delete();
  return n;
}

/** The `member:export` and `member:erasing` handlers of plugin `pluginId`, from `spec`. */
export function memberDataHooks(pluginId: string, spec: MemberDataSpec): HookRegistration[] {
  const personal = [...(spec.parts ?? []).flatMap((p) => (p.personal ? personalPlaces(p) : [])), ...(spec.personal ?? [])];
  return [
    onFilter('member:export', async (parts, context) => {
      const own: MemberDataPart[] = [];
      for (const part of spec.parts ?? [])
        own.push({ plugin: pluginId, name: part.name, rows: await memberRows(context.rt.db, context.userId, part) });
      return [...parts, ...own, ...(spec.more ? await spec.more(context) : [])];
    }),
    onFilter('member:erasing', async (report, context) => {
      let next = spec.erasing ? await spec.erasing(report, context) : report;
      if (context.mode === 'anonymise' && personal.length)
        next = erased(next, pluginId, await removeMemberRows(context.rt.db, context.userId, personal));
      return next;
    }),
  ];
}

/** The `[table, column]` places of a personal part: one per member column. */
const personalPlaces = (part: MemberTablePart): (readonly [string, string])[] => (part.columns ?? []).map((c) => [part.table, c] as const);
