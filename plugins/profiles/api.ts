/**
 * The profiles plugin's public contract for plugins that depend on it: the levels a profile
 * field may have and the access shape of a person's profile values, so that a reader of
 * profile values (the directory's filters) narrows them with the core's access model.
 */
import { oneOf, type AccessLevel, type RowShape } from '../../core';

/**
 * The access levels a field may have: the core's levels that mean something for a person's
 * rows (no `group`: a profile is in no container).
 */
export const VISIBILITY_LEVELS = ['public', 'members', 'network', 'friends', 'private'] as const satisfies readonly AccessLevel[];
export type VisibilityLevel = (typeof VISIBILITY_LEVELS)[number];
export const isVisibilityLevel = oneOf(VISIBILITY_LEVELS);

/** Visibility of the built-in fields (headline, department, location, languages, skills, about). */
export const BUILTIN_VISIBILITY: VisibilityLevel = 'members';

/**
 * Profile values are a person's rows: owned by the member (`owner`, a users.id column), in no
 * network of their own (the owner's networks), at the field's level — a column, or one level for
 * the whole query: `rt.access.visibleTo(viewer, profileValueShape('u.id', { value: field.visibility }))`;
 * for one value, `rt.access.canSee(viewer, { owner_id, access: level }, profileValueShape())`.
 */
export function profileValueShape(owner = 'user_id', level: RowShape['level'] = 'visibility'): RowShape {
  return { owner, network: null, level };
}

/** The extra fields' definitions kept in memory, and how their writers tell every process (field-list.ts). */
export { keptFields, writeFields } from './field-list';
export type { FieldRow } from './fields';
