/**
 * Profile-field filters of the directory: the built-in columns (department, location, skills,
 * languages; visibility 'members') and the admin-defined extra fields (text, choice,
 * multi-choice, date, URL) with their own visibility. Every filter carries the profiles
 * plugin's `fieldVisibleClause` for its field, so a value the viewer may not see never
 * matches — hidden values cannot be probed through results or counts.
 *
 * Query parameters: `f_<builtin>` and `x_<field key>`.
 */
import type { Knex } from 'knex';
import { t, type RucheContext, type Viewer } from '../../core';
import { fieldVisibleClause } from '../profiles/visibility';
import { likePattern } from './directory';

export type Clause = (qb: Knex.QueryBuilder) => void;

export interface FilterField {
  name: string;
  label: string;
  type: string;
  value: string;
  choices?: { value: string; selected: boolean }[];
}

export const BUILTIN_FILTERS = ['department', 'location', 'skills', 'languages'] as const;
export type BuiltinFilter = (typeof BUILTIN_FILTERS)[number];
const BUILTIN_VISIBILITY = 'members';
const LIST_COLUMNS: readonly string[] = ['skills', 'languages'];
export const FILTER_TYPES = ['text', 'choice', 'multichoice', 'date', 'url'] as const;

export interface ExtraField {
  id: number;
  key: string;
  label_en: string;
  label_fr: string;
  type: string;
  choices: string;
  visibility: string;
}

/** A filter on a built-in profile column of `users as u`'s owner. */
export function builtinClause(db: Knex, viewer: Viewer | null, column: BuiltinFilter, value: string): Clause {
  const v = value.trim().toLowerCase().slice(0, 100);
  return (qb) => {
    qb.whereExists((s) => {
      s.select(db.raw('1')).from('profiles as dp').where('dp.user_id', db.ref('u.id'));
      if (LIST_COLUMNS.includes(column)) {
        // One item of a comma-separated list, whole and case-insensitive.
        s.whereRaw(`(',' || replace(lower(dp.${column}), ', ', ',') || ',') like ? escape '\\'`, [`%,${v.replace(/[\\%_]/g, (c) => `\\${c}`)},%`]);
      } else {
        s.whereRaw(`lower(dp.${column}) like ? escape '\\'`, [likePattern(v)]);
      }
    });
    qb.modify(fieldVisibleClause(db, viewer, BUILTIN_VISIBILITY, 'u.id'));
  };
}

/** A filter on an extra field: exact value for choices and dates, contained text otherwise. */
export function extraClause(db: Knex, viewer: Viewer | null, field: ExtraField, value: string): Clause {
  const v = value.trim().slice(0, 200);
  const exact = field.type === 'choice' || field.type === 'multichoice' || field.type === 'date';
  return (qb) => {
    qb.whereExists((s) => {
      s.select(db.raw('1')).from('profile_values as dv').where('dv.user_id', db.ref('u.id')).where('dv.field_id', field.id);
      if (exact) s.where('dv.value', v);
      else s.whereRaw(`lower(dv.value) like ? escape '\\'`, [likePattern(v)]);
    });
    qb.modify(fieldVisibleClause(db, viewer, field.visibility, 'u.id'));
  };
}

function isRootAdmin(ctx: RucheContext): boolean {
  const v = ctx.state.viewer;
  return !!v && (v.isRootAdmin || v.roles[ctx.ruche.networks.root().id] === 'admin');
}

function choicesOf(f: ExtraField): string[] {
  try {
    const list = JSON.parse(f.choices) as unknown;
    return Array.isArray(list) ? list.filter((c): c is string => typeof c === 'string') : [];
  } catch {
    return [];
  }
}

function param(ctx: RucheContext, name: string): string {
  const v = (ctx.query as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
}

/** The filter clauses of a directory request and the form fields to show. */
export async function directoryFilters(ctx: RucheContext): Promise<{ clauses: Clause[]; fields: FilterField[] }> {
  const db = ctx.ruche.db;
  const viewer = ctx.state.viewer;
  const clauses: Clause[] = [];
  const fields: FilterField[] = [];
  for (const column of BUILTIN_FILTERS) {
    const value = param(ctx, `f_${column}`).trim();
    if (value) clauses.push(builtinClause(db, viewer, column, value));
    fields.push({ name: `f_${column}`, label: t(ctx, `connections.directory.builtin.${column}`), type: 'text', value });
  }
  const extras = (await db('profile_fields')
    .whereIn('type', FILTER_TYPES as unknown as string[])
    .orderBy('position')
    .orderBy('id')) as ExtraField[];
  const admin = isRootAdmin(ctx);
  for (const f of extras) {
    const value = param(ctx, `x_${f.key}`).trim();
    // A filter asks only for values the viewer may see (the clause); private fields are not offered.
    if (value) clauses.push(extraClause(db, viewer, { ...f, id: Number(f.id) }, value));
    if (f.visibility === 'private' && !admin) continue;
    const choices = f.type === 'choice' || f.type === 'multichoice' ? choicesOf(f).map((c) => ({ value: c, selected: c === value })) : undefined;
    fields.push({ name: `x_${f.key}`, label: ctx.state.locale === 'fr' ? f.label_fr : f.label_en, type: f.type, value, choices });
  }
  return { clauses, fields };
}
