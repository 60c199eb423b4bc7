/**
 * Profile-field filters of the directory: the built-in columns (department, location, skills,
 * languages; visibility 'members') and the admin-defined extra fields (text, choice,
 * multi-choice, date, URL) with their own visibility. Every filter carries the core's access
 * clause for its field (a profile value is a person's row: `profileValueShape` from the profiles
 * plugin's contract), so a value the viewer may not see never matches — hidden values cannot be
 * probed through results or counts. The field's level is known per filter, so root rights and
 * the level's rule are decided once in JavaScript; the SQL carries only what depends on the member.
 *
 * Query parameters: `f_<builtin>` and `x_<field key>`.
 */
import type { Knex } from 'knex';
import { escapeLike, likeContains, queryParam, t, type Access, type RucheContext, type Viewer } from '../../core';
import { BUILTIN_VISIBILITY, keptFields, profileValueShape, type FieldRow } from '../profiles/api';
import { ConnectionsService } from './service';

/**
 * A narrowing clause over `users as u`, with the text of everything it reads (the field, the value,
 * the viewer's access facts) as its `key`: two clauses of the same key build the same SQL, so the
 * directory keeps its statement's text by it (issue 18). A clause without a key is built each time.
 */
export type Clause = ((qb: Knex.QueryBuilder) => void) & { key?: string };

const keyed = (clause: (qb: Knex.QueryBuilder) => void, r: FilterReader, facts: unknown[]): Clause =>
  Object.assign(clause, { key: JSON.stringify([...facts, r.access.visibilityKey(r.viewer)]) });

export interface FilterField {
  name: string;
  label: string;
  type: string;
  value: string;
  choices?: { value: string; selected: boolean }[];
}

export const BUILTIN_FILTERS = ['department', 'location', 'skills', 'languages'] as const;
export type BuiltinFilter = (typeof BUILTIN_FILTERS)[number];
const LIST_COLUMNS: readonly string[] = ['skills', 'languages'];
export const FILTER_TYPES = ['text', 'choice', 'multichoice', 'date', 'url'] as const;
const FILTERED: ReadonlySet<string> = new Set(FILTER_TYPES);

/** An extra field as the directory reads it: the profiles plugin's definition. */
export type ExtraField = Pick<FieldRow, 'id' | 'key' | 'label_en' | 'label_fr' | 'type' | 'choices' | 'visibility'>;

/** Who is asking: the database and the access model of the request's app, and the viewer. */
export interface FilterReader {
  db: Knex;
  access: Access;
  viewer: Viewer | null;
}

/** The members of `users as u` whose value of a field at `level` the viewer may see. */
function visibleField(r: FilterReader, level: string): Clause {
  return r.access.visibleTo(r.viewer, profileValueShape('u.id', { value: level }));
}

/** A filter on a built-in profile column of `users as u`'s owner. */
export function builtinClause(r: FilterReader, column: BuiltinFilter, value: string): Clause {
  const v = value.trim().toLowerCase().slice(0, 100);
  return keyed(
    (qb) => {
      // The members whose value matches, as a set read once (one pass over the profiles), not a
      // lookup per member of the network (issue 18: 13 -> 5 ms of SQLite CPU for a department).
      qb.whereIn('u.id', (s) => {
        s.select('dp.user_id').from('profiles as dp');
        if (LIST_COLUMNS.includes(column)) {
          // One item of a comma-separated list, whole and case-insensitive.
          s.whereRaw(`(',' || replace(lower(dp.${column}), ', ', ',') || ',') like ? escape '\\'`, [`%,${escapeLike(v)},%`]);
        } else {
          // The column's distinct values are few (departments, sites): the ones that match are
          // found among them, then their members by the column's index, instead of lower() and LIKE
          // on every profile (issue 18: 3.3 -> 0.6 ms of SQLite CPU for a department). SQLite reads
          // the distinct values by an index skip-scan (`limit -1` keeps the LIKE from being pushed
          // into that scan, where it would run on every row again); PostgreSQL has no skip-scan, so
          // it walks the index from value to value (a recursive loose scan: 2.2 -> 0.8 ms).
          const values =
            r.db.client.config.client === 'sqlite3'
              ? `select distinct ${column} as v from profiles limit -1`
              : `with recursive dd(v) as (select min(${column}) from profiles union all ` +
                `select (select min(${column}) from profiles where ${column} > dd.v) from dd where dd.v is not null) select v from dd`;
          s.whereRaw(`dp.${column} in (select dv.v from (${values}) as dv where lower(dv.v) like ? escape '\\')`, [likeContains(v)]);
        }
      });
      qb.modify(visibleField(r, BUILTIN_VISIBILITY));
    },
    r,
    ['builtin', column, v],
  );
}

/** A filter on an extra field: exact value for choices and dates, contained text otherwise. */
export function extraClause(r: FilterReader, field: ExtraField, value: string): Clause {
  const v = value.trim().slice(0, 200);
  const exact = field.type === 'choice' || field.type === 'multichoice' || field.type === 'date';
  return keyed(
    (qb) => {
      qb.whereIn('u.id', (s) => {
        s.select('dv.user_id').from('profile_values as dv').where('dv.field_id', field.id);
        if (exact) s.where('dv.value', v);
        else s.whereRaw(`lower(dv.value) like ? escape '\\'`, [likeContains(v)]);
      });
      qb.modify(visibleField(r, field.visibility));
    },
    r,
    ['extra', field.id, field.type, field.visibility, v],
  );
}

/** The filter clauses of a directory request and the form fields to show. */
export async function directoryFilters(ctx: RucheContext): Promise<{ clauses: Clause[]; fields: FilterField[] }> {
  const service = ctx.ruche.container.resolve(ConnectionsService);
  const reader = service.filterReader(ctx.state.viewer);
  const clauses: Clause[] = [];
  const fields: FilterField[] = [];
  for (const column of BUILTIN_FILTERS) {
    const value = queryParam(ctx, `f_${column}`).trim();
    if (value) clauses.push(builtinClause(reader, column, value));
    fields.push({ name: `f_${column}`, label: t(ctx, `connections.directory.builtin.${column}`), type: 'text', value });
  }
  // The fields' definitions are kept in memory by the profiles plugin (a core cache, every process told of a change).
  const extras = await keptFields(ctx.ruche);
  const admin = ctx.ruche.scopes.hasRootRights(ctx.state.viewer);
  for (const f of extras) {
    if (!FILTERED.has(f.type)) continue;
    const value = queryParam(ctx, `x_${f.key}`).trim();
    // A filter asks only for values the viewer may see (the clause); private fields are not offered.
    if (value) clauses.push(extraClause(reader, f, value));
    if (f.visibility === 'private' && !admin) continue;
    const choices = f.type === 'choice' || f.type === 'multichoice' ? f.choices.map((c) => ({ value: c, selected: c === value })) : undefined;
    fields.push({ name: `x_${f.key}`, label: ctx.state.locale === 'fr' ? f.label_fr : f.label_en, type: f.type, value, choices });
  }
  return { clauses, fields };
}
