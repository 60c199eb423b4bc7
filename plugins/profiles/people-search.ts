/**
 * The people search by profile fields (`people:searchMatches`, `people:matchedFields`): the
 * built-in headline (job title), department and location, and the extra fields an admin marks
 * searchable. A value counts only where the viewer may see it (the core's access clause at the
 * field's level, inside the statement that matches), so a field shown to connections or kept
 * private never finds anyone for another viewer, nor adds to a count.
 */
import type { Knex } from 'knex';
import {
  accentBlindLike,
  foldAccents,
  foldedSql,
  likeContains,
  onFilter,
  LIKE_ESCAPE,
  type HookRegistration,
  type PersonMatchedField,
  type Runtime,
  type Viewer,
} from '../../core';
import { BUILTIN_VISIBILITY, profileValueShape } from './api';
import { fieldLabel, ProfilesService } from './service';

/** The built-in fields the people search reads: a job title, a department, a site. */
const BUILTIN_SEARCHED = ['headline', 'department', 'location'] as const;

type Rt = Pick<Runtime, 'db' | 'dialect' | 'access' | 'container' | 'i18n'>;

/**
 * `column` holds `word` (folded) once accents are folded: a cheap LIKE first (`accentBlindLike`),
 * then the word as written (most values) or, failing that, the value folded (53 `replace` calls
 * on SQLite, paid only by the rows left).
 */
function holds(rt: Rt, q: Knex.QueryBuilder, column: string, word: string): Knex.QueryBuilder {
  const like = likeContains(word);
  return q
    .whereRaw(`lower(${column}) like ?`, [accentBlindLike(word)])
    .where((w) =>
      w.whereRaw(`lower(${column}) like ? ${LIKE_ESCAPE}`, [like]).orWhereRaw(`${foldedSql(rt.dialect, column)} like ? ${LIKE_ESCAPE}`, [like]),
    );
}

/** Subqueries of the members whose searchable values the viewer may see hold `word`. */
export async function searchMatches(rt: Rt, viewer: Viewer | null, word: string): Promise<Knex.QueryBuilder[]> {
  const builtin = rt
    .db('profiles as p')
    .select('p.user_id')
    .where((w) => {
      for (const key of BUILTIN_SEARCHED) w.orWhere((one) => holds(rt, one, `p.${key}`, word));
    })
    .modify(rt.access.visibleTo(viewer, profileValueShape('p.user_id', { value: BUILTIN_VISIBILITY })));
  const searchable = (await rt.container.resolve(ProfilesService).fields()).filter((f) => f.searchable);
  if (!searchable.length) return [builtin];
  // One subquery for every searchable field: the level is each value's field's (a column).
  const extra = rt
    .db('profile_values as v')
    .join('profile_fields as f', 'f.id', 'v.field_id')
    .where('f.searchable', true)
    .modify((q) => holds(rt, q, 'v.value', word))
    .modify(rt.access.visibleTo(viewer, profileValueShape('v.user_id', 'f.visibility')))
    .select('v.user_id');
  return [builtin, extra];
}

/** The searchable values of `userIds` that the viewer may see and that hold one of `words`. */
export async function matchedFields(
  rt: Rt,
  c: { viewer: Viewer | null; locale: string; userIds: readonly number[]; words: readonly string[] },
): Promise<Map<number, PersonMatchedField[]>> {
  const out = new Map<number, PersonMatchedField[]>();
  if (!c.userIds.length || !c.words.length) return out;
  const says = (value: string): boolean => {
    const folded = foldAccents(value);
    return c.words.some((w) => folded.includes(w));
  };
  const add = (userId: number, label: string, value: string): void => {
    if (value && says(value)) out.set(userId, [...(out.get(userId) ?? []), { label, value }]);
  };
  const profiles = (await rt
    .db('profiles as p')
    .whereIn('p.user_id', [...c.userIds])
    .modify(rt.access.visibleTo(c.viewer, profileValueShape('p.user_id', { value: BUILTIN_VISIBILITY })))
    .select('p.user_id', ...BUILTIN_SEARCHED.map((k) => `p.${k}`))) as (Record<(typeof BUILTIN_SEARCHED)[number], string> & { user_id: number })[];
  for (const p of profiles) for (const key of BUILTIN_SEARCHED) add(Number(p.user_id), rt.i18n.t(c.locale, `profiles.fields.builtin.${key}`), p[key]);
  const fields = new Map((await rt.container.resolve(ProfilesService).fields()).filter((f) => f.searchable).map((f) => [f.id, f]));
  if (!fields.size) return out;
  const values = (await rt
    .db('profile_values as v')
    .join('profile_fields as f', 'f.id', 'v.field_id')
    .whereIn('v.user_id', [...c.userIds])
    .whereIn('v.field_id', [...fields.keys()])
    .modify(rt.access.visibleTo(c.viewer, profileValueShape('v.user_id', 'f.visibility')))
    .orderBy('f.position')
    .orderBy('v.value')
    .select('v.user_id', 'v.field_id', 'v.value')) as { user_id: number; field_id: number; value: string }[];
  for (const v of values) add(Number(v.user_id), fieldLabel(fields.get(Number(v.field_id))!, c.locale), v.value);
  return out;
}

export const peopleSearchHooks: HookRegistration[] = [
  onFilter('people:searchMatches', async (value, c, rt) => [...value, ...(await searchMatches(rt, c.viewer, c.word))]),
  onFilter('people:matchedFields', async (value, c, rt) => new Map([...value, ...(await matchedFields(rt, c))])),
];
