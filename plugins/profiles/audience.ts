/**
 * Picking members by a profile field (`profiles:audienceFields`, `profiles:membersWith`,
 * `profiles:membersByValue`): the
 * built-in department and location and the extra fields that hold short values. Every match
 * carries the core's access clause for its field, so a value the asker may not see never
 * selects anyone (a hidden value cannot be probed through who was picked).
 */
import { onFilter, type HookRegistration, type Runtime, type Viewer } from '../../core';
import { BUILTIN_VISIBILITY, profileValueShape } from './api';
import type { AudienceField } from './hooks';
import { ProfilesService, type FieldRow } from './service';

const BUILTIN = ['department', 'location'] as const;
const PICKABLE_TYPES: readonly string[] = ['text', 'choice', 'multichoice'];

type Rt = Pick<Runtime, 'db' | 'access' | 'scopes' | 'container' | 'i18n'>;

/** The extra fields an audience may be picked by, for this viewer. */
async function extraFields(rt: Rt, viewer: Viewer | null): Promise<FieldRow[]> {
  const fields = await rt.container.resolve(ProfilesService).fields();
  const root = rt.scopes.hasRootRights(viewer);
  return fields.filter((f) => PICKABLE_TYPES.includes(f.type) && (f.visibility !== 'private' || root));
}

export async function audienceFields(rt: Rt, viewer: Viewer | null, locale: string): Promise<AudienceField[]> {
  const builtin = BUILTIN.map((key) => ({ key, label: rt.i18n.t(locale, `profiles.fields.builtin.${key}`) }));
  const extra = (await extraFields(rt, viewer)).map((f) => ({
    key: `x_${f.key}`,
    label: locale === 'fr' ? f.label_fr : f.label_en,
    choices: f.type === 'text' ? undefined : f.choices,
  }));
  return [...builtin, ...extra];
}

export async function membersWith(rt: Rt, c: { networkId: number; viewer: Viewer | null; field: string; value: string }): Promise<number[] | null> {
  const found = await membersByValue(rt, { ...c, values: [c.value] });
  return found && (found[0]?.ids ?? []);
}

/** Each of `values` with its members (`profiles:membersByValue`), in one statement; null for an unknown field. */
export async function membersByValue(
  rt: Rt,
  c: { networkId: number; viewer: Viewer | null; field: string; values: readonly string[] },
): Promise<{ value: string; ids: number[] }[] | null> {
  const wanted = c.values.map((v) => v.trim().toLowerCase());
  const builtin = BUILTIN.find((b) => b === c.field);
  const field = builtin ? null : (await extraFields(rt, c.viewer)).find((f) => `x_${f.key}` === c.field);
  if (!builtin && !field) return null;
  if (!wanted.length) return [];
  const value = builtin ? `lower(trim(p.${builtin}))` : 'lower(trim(p.value))';
  const q = rt.db('users as u').join('memberships as m', 'm.user_id', 'u.id').where({ 'm.network_id': c.networkId, 'u.status': 'active' });
  if (builtin) q.join('profiles as p', 'p.user_id', 'u.id');
  else q.join('profile_values as p', 'p.user_id', 'u.id').where('p.field_id', field!.id);
  const rows = (await q
    .select('u.id', rt.db.raw(`${value} as v`))
    .whereRaw(`${value} in (${wanted.map(() => '?').join(', ')})`, wanted)
    .modify(rt.access.visibleTo(c.viewer, profileValueShape('u.id', { value: builtin ? BUILTIN_VISIBILITY : field!.visibility })))) as {
    id: unknown;
    v: string;
  }[];
  const byValue = new Map(wanted.map((v) => [v, new Set<number>()]));
  for (const r of rows) byValue.get(r.v)?.add(Number(r.id));
  return c.values.map((value, i) => ({ value, ids: [...byValue.get(wanted[i])!] }));
}

export const audienceHooks: HookRegistration[] = [
  onFilter('profiles:audienceFields', async (value, c, rt) => [...value, ...(await audienceFields(rt, c.viewer, c.locale))]),
  onFilter('profiles:membersWith', async (value, c, rt) => value ?? (await membersWith(rt, c))),
  onFilter('profiles:membersByValue', async (value, c, rt) => value ?? (await membersByValue(rt, c))),
];
