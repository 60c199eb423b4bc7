/**
 * Profile field definitions: the built-in fields, the types of the admin-defined extra fields,
 * and the pure checks of a value against a definition (no database).
 */
import { isVisibilityLevel, type VisibilityLevel } from './api';

export const FIELD_TYPES = ['text', 'longtext', 'choice', 'multichoice', 'date', 'url'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export const BUILTIN_FIELDS = ['headline', 'department', 'location', 'languages', 'skills', 'about'] as const;
export type BuiltinField = (typeof BUILTIN_FIELDS)[number];

/** The built-in fields an organisation's directory may keep (and lock). */
export const DIRECTORY_FIELDS = ['department', 'headline'] as const satisfies readonly BuiltinField[];

export const BUILTIN_MAX: Record<BuiltinField, number> = {
  headline: 200,
  department: 200,
  location: 200,
  languages: 1000,
  skills: 1000,
  about: 10000,
};

export interface ProfileRow {
  user_id: number;
  headline: string;
  department: string;
  location: string;
  languages: string;
  skills: string;
  about: string;
  updated_at: number;
}

export interface FieldRow {
  id: number;
  key: string;
  label_en: string;
  label_fr: string;
  type: FieldType;
  choices: string[];
  required: boolean;
  /** Read by the people search (at the field's visibility). */
  searchable: boolean;
  visibility: VisibilityLevel;
  position: number;
}

/** A message for one input: an i18n key and its params. */
export interface Problem {
  key: string;
  params?: Record<string, string | number>;
}
export type Problems = Record<string, Problem>;

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Comma-separated list, trimmed, empties and duplicates dropped. */
export function splitList(s: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of s.split(',')) {
    const p = part.trim();
    if (p && !seen.has(p.toLowerCase())) {
      seen.add(p.toLowerCase());
      out.push(p);
    }
  }
  return out;
}

function parseChoices(raw: unknown): string[] {
  try {
    const v = JSON.parse(String(raw ?? '[]'));
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function toField(r: Record<string, unknown>): FieldRow {
  return {
    id: Number(r.id),
    key: String(r.key),
    label_en: String(r.label_en),
    label_fr: String(r.label_fr),
    type: r.type as FieldType,
    choices: parseChoices(r.choices),
    required: !!r.required,
    searchable: !!r.searchable,
    visibility: (isVisibilityLevel(r.visibility) ? r.visibility : 'private') as VisibilityLevel,
    position: Number(r.position),
  };
}

export function fieldLabel(f: FieldRow, locale: string): string {
  return locale === 'fr' ? f.label_fr : f.label_en;
}

export function validDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

export function validUrl(s: string): boolean {
  if (s.length > 2000) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
  } catch {
    return false;
  }
}

/** Whether one stored value fits a field's definition. */
export function valueAllowed(f: FieldRow, v: string): boolean {
  switch (f.type) {
    case 'choice':
    case 'multichoice':
      return f.choices.includes(v);
    case 'date':
      return validDate(v);
    case 'url':
      return validUrl(v);
    case 'longtext':
      return v.length <= 2000;
    default:
      return v.length <= 300;
  }
}
