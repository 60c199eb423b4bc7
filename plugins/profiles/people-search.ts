/**
 * The people search by profile fields (`people:searchMatches`, `people:matchedFields`): the
 * built-in headline (job title), department and location, and the extra fields an admin marks
 * searchable. A value counts only where the viewer may see it (the core's access clause at the
 * field's level, inside the statement that matches), so a field shown to connections or kept
 * private never finds anyone for another viewer, nor adds to a count.
 */
import type { Knex } from 'knex';
import { containsWord, foldAccents, onFilter, type HookRegistration, type PersonMatchedField, type Runtime, type Viewer } from '../../core';
import { BUILTIN_VISIBILITY, profileValueShape } from './api';
import { BUILTIN_SEARCHED, PEOPLE_INDEX, PEOPLE_TRIGRAMS, rebuildPeopleIndex } from './search-index';
import { fieldLabel } from './fields';
import { ProfilesService } from './service';

type Rt = Pick<Runtime, 'db' | 'dialect' | 'access' | 'container' | 'i18n'>;

/**
 * The subquery of the members holding `word` in a searchable value the viewer may see: the
 * folded values' trigrams (search-index.ts), the access clause at each value's level inside.
 */
export async function searchMatches(rt: Rt, viewer: Viewer | null, word: string): Promise<Knex.QueryBuilder[]> {
  return [
    rt
      .db(`${PEOPLE_INDEX} as s`)
      .select('s.user_id')
      .modify(containsWord(rt.db, PEOPLE_TRIGRAMS, 's', word))
      .modify(rt.access.visibleTo(viewer, profileValueShape('s.user_id', 's.level'))),
  ];
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
  // `ruche search reindex` rebuilds the people index too (the entities' count passes on).
  onFilter('search:reindex', async (value, _c, rt) => {
    await rebuildPeopleIndex(rt.db);
    return value;
  }),
];
