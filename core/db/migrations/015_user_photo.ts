import { addColumns } from '../migration';

/**
 * A person's avatar photo is core data (core/content/people.ts): `users.photo_key`, the
 * content-addressed key of its stored sizes. The profiles plugin's own migration copies the
 * keys it kept in `profiles.photo_key` here.
 */
export const userPhoto = addColumns('015_user_photo', 'users', { photo_key: (t, c) => t.string(c, 80).nullable() });
