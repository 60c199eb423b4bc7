/**
 * Picking members by a profile field (`profiles:audienceFields`, `profiles:membersWith`,
 * `profiles:valueHolders`): the
 * built-in department and location and the extra fields that hold short values. Every match
 * carries the core's access clause for its field, so a value the asker may not see never
 * selects anyone (a hidden value cannot be probed through who was picked).
 */
import { onFilter, type HookRegistration, type Runtime, type Viewer } from '../../core';
import { BUILTIN_VISIBILITY, profileValueShape } from './api';
import type { AudienceField, ValueHolders } from './hooks';
import type { FieldRow } from './fields';
import { ProfilesService } from './service';
import { valuesVersion } from './values-version';

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
  const holders = await valueHolders(rt, { ...c, values: [c.value] });
  return holders && ((await holders.query) as { user_id: unknown }[]).map((r) => Number(r.user_id));
}

/**
 * The active members of the network holding one of `values` of `field` that the viewer may see,
 * as a statement (`profiles:valueHolders`): distinct rows `user_id`, `v` (the value, trimmed and
 * lowercased) for the asker to count or join in SQL; null for an unknown field. (Wrapped in an
 * object: a query builder is a thenable, which an async function would run instead of return.)
 */
export async function valueHolders(
  rt: Rt,
  c: { networkId: number; viewer: Viewer | null; field: string; values: readonly string[] },
): Promise<ValueHolders | null> {
  const wanted = c.values.map((v) => v.trim().toLowerCase());
  const builtin = BUILTIN.find((b) => b === c.field);
  const field = builtin ? null : (await extraFields(rt, c.viewer)).find((f) => `x_${f.key}` === c.field);
  if (!builtin && !field) return null;
  const value = builtin ? `lower(trim(p.${builtin}))` : 'lower(trim(p.value))';
  const q = rt.db('users as u').join('memberships as m', 'm.user_id', 'u.id').where({ 'm.network_id': c.networkId, 'u.status': 'active' });
  if (builtin) q.join('profiles as p', 'p.user_id', 'u.id');
  else q.join('profile_values as p', 'p.user_id', 'u.id').where('p.field_id', field!.id);
  const query = q
    .distinct('u.id as user_id', rt.db.raw(`${value} as v`))
    .modify((w) => (wanted.length ? w.whereRaw(`${value} in (${wanted.map(() => '?').join(', ')})`, wanted) : w.whereRaw('1 = 0')))
    .modify(rt.access.visibleTo(c.viewer, profileValueShape('u.id', { value: builtin ? BUILTIN_VISIBILITY : field!.visibility })));
  // What a viewer may see of a friends-level field moves with their connections, not the version.
  const level = builtin ? BUILTIN_VISIBILITY : field!.visibility;
  return { query, version: level === 'friends' ? null : await valuesVersion(rt.db) };
}

export const audienceHooks: HookRegistration[] = [
  onFilter('profiles:audienceFields', async (value, c, rt) => [...value, ...(await audienceFields(rt, c.viewer, c.locale))]),
  onFilter('profiles:membersWith', async (value, c, rt) => value ?? (await membersWith(rt, c))),
  onFilter('profiles:valueHolders', async (value, c, rt) => value ?? (await valueHolders(rt, c))),
];
