/**
 * The profile page's extension point: other plugins (connections, activity...) add blocks
 * to a member's profile through the `profiles:sections` filter. Each section is rendered
 * with `{{> (lookup . "template") data}}`. Lists of people ask `profiles:headlines` for the
 * headlines the viewer may see, rather than reading the plugin's tables, and
 * `profiles:personActions` for the buttons other plugins put beside each person ("Message").
 */
import type { Knex } from 'knex';
import type { RucheContext, Viewer } from '../../core';

/** What `profiles:valueHolders` answers: a statement of distinct rows `user_id`, `v`, for the asker to count or join in SQL. */
export interface ValueHolders {
  query: Knex.QueryBuilder;
  /**
   * The version of the members' values (values-version.ts): row triggers move it in the
   * transaction of every write of a value or of a field's definition, so what was counted from `query` for the same
   * asker holds while it and the members themselves (memberships, accounts) stay the same; null
   * where what the asker may see moves otherwise too (a friends-level field: their connections),
   * to be read at each use.
   */
  version: number | null;
}

export interface ProfileSection {
  id: string;
  /** A registered template name, e.g. `connections/profile-buttons`. */
  template: string;
  data?: Record<string, unknown>;
  order?: number;
  /**
   * Where the section goes on a wide screen: `side` (the default) in the column of the profile's
   * facts, `main` in the wide column beside it (the member's recent activity). On a phone, side
   * sections come first.
   */
  place?: 'side' | 'main';
}

/** A button beside one person in a list of people (`profiles:personActions`): a link, its label translated. */
export interface PersonAction {
  personId: number;
  id: string;
  label: string;
  href: string;
  order?: number;
}

/** A profile field members may be picked by (`profiles:audienceFields`): its key and label in the asker's language. */
export interface AudienceField {
  key: string;
  label: string;
  /** The values offered, for a field with choices. */
  choices?: string[];
}

export const PROFILE_SECTIONS_HOOK = 'profiles:sections' as const;

declare module '../../core/hooks/map' {
  interface HookFilters {
    'profiles:sections': {
      value: ProfileSection[];
      context: { ctx: RucheContext; networkId: number; viewer: Viewer | null; locale: string; profileUserId: number; profileUsername: string };
    };
    /** The headlines (by user id) of these members that the viewer may see: for lists of people (the directory). */
    'profiles:headlines': { value: Map<number, string>; context: { networkId: number; viewer: Viewer | null; userIds: readonly number[] } };
    /**
     * Buttons beside the people of a list (the directory, followers, suggestions), for all of
     * them at once (a handler reads what it needs in one query): the messages plugin adds
     * "Message" for everyone the viewer may write to.
     */
    /**
     * The profile fields an audience may be picked by (a built-in department or location, the
     * extra text and choice fields), for a viewer who may see their values (private fields are
     * offered to root admins only). The alerts plugin asks it for "everyone at the Lyon site".
     */
    'profiles:audienceFields': { value: AudienceField[]; context: { networkId: number; viewer: Viewer | null; locale: string } };
    /**
     * The active members of `networkId` whose `field` (a key of `profiles:audienceFields`) is
     * `value` (case-insensitive; one of a multi-choice field's values), only where the viewer
     * may see that value (the core's access model); null where no plugin answers or the field is
     * unknown.
     */
    'profiles:membersWith': { value: number[] | null; context: { networkId: number; viewer: Viewer | null; field: string; value: string } };
    /**
     * `profiles:membersWith` as a statement, for several values at once: distinct rows `user_id`,
     * `v` (the value trimmed and lowercased) of the network's active members holding one of
     * `values` the viewer may see, for the asker to count or join in SQL (the analytics plugin's
     * members by a choice field reads it once and keeps it while `version` stays); null where no
     * plugin answers or the field is unknown.
     */
    'profiles:valueHolders': {
      value: ValueHolders | null;
      context: { networkId: number; viewer: Viewer | null; field: string; values: readonly string[] };
    };
    'profiles:personActions': {
      value: PersonAction[];
      context: { ctx: RucheContext; networkId: number; viewer: Viewer | null; people: readonly { id: number; username: string }[] };
    };
  }
}
