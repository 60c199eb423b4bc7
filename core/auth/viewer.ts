/** Roles a member can hold in a network, from most to least powerful. */
export const ROLES = ['admin', 'moderator', 'member'] as const;
export type Role = (typeof ROLES)[number];
/** Roles capabilities are granted to: the member roles, plus `guest` (not signed in). */
export type GrantRole = Role | 'guest';
export const GRANT_ROLES: readonly GrantRole[] = [...ROLES, 'guest'];

/** `users.kind` of a person and of a bot (a service account, core/members/bots.ts). */
export const PERSON_KIND = 'person';
export const BOT_KIND = 'bot';

/** The signed-in member making a request. */
export interface Viewer {
  id: number;
  username: string;
  displayName: string;
  email: string;
  locale: string | null;
  /** `former`: a deleted account whose content was kept anonymised (core/members/); it never signs in. */
  status: 'active' | 'pending' | 'suspended' | 'former';
  isRootAdmin: boolean;
  /** Their avatar photo (`users.photo_key`, core/content/people.ts); null or absent without one. */
  photoKey?: string | null;
  /** The time zone they chose on the account page (`users.time_zone`), null or absent until then. */
  timeZone?: string | null;
  /** Role per network id the member belongs to. */
  roles: Record<number, Role>;
  /** A service account (core/members/bots.ts): acts through API tokens only; absent for a person. */
  isBot?: boolean;
  /**
   * A bot scoped to groups: the only containers whose content it sees and posts into (and the
   * containers themselves); absent or null: no such limit.
   */
  containers?: readonly number[] | null;
}
