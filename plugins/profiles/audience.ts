/**
 * Picking members by a profile field (`profiles:audienceFields`, `profiles:membersWith`): the
 * built-in department and location and the extra fields that hold short values. Every match
 * carries the core's access clause for its field, so a value the asker may not see never
 * selects anyone (a hidden value cannot be probed through who was picked).
 */
import type { Knex } from 'knex';
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
  const value = c.value.trim().toLowerCase();
  const members = (): Knex.QueryBuilder =>
    rt.db('users as u').join('memberships as m', 'm.user_id', 'u.id').where({ 'm.network_id': c.networkId, 'u.status': 'active' });
  const builtin = BUILTIN.find((b) => b === c.field);
  if (builtin) {
    const ids = await members()
      .whereIn('u.id', (s) => s.select('p.user_id').from('profiles as p').whereRaw(`lower(trim(p.${builtin})) = ?`, [value]))
      .modify(rt.access.visibleTo(c.viewer, profileValueShape('u.id', { value: BUILTIN_VISIBILITY })))
      .pluck('u.id');
    return ids.map(Number);
  }
  const field = (await extraFields(rt, c.viewer)).find((f) => `x_${f.key}` === c.field);
  if (!field) return null;
  const ids = await members()
    .whereIn('u.id', (s) =>
      s.select('v.user_id').from('profile_values as v').where('v.field_id', field.id).whereRaw('lower(trim(v.value)) = ?', [value]),
    )
    .modify(rt.access.visibleTo(c.viewer, profileValueShape('u.id', { value: field.visibility })))
    .pluck('u.id');
  return ids.map(Number);
}

export const audienceHooks: HookRegistration[] = [
  onFilter('profiles:audienceFields', async (value, c, rt) => [...value, ...(await audienceFields(rt, c.viewer, c.locale))]),
  onFilter('profiles:membersWith', async (value, c, rt) => value ?? (await membersWith(rt, c))),
];
