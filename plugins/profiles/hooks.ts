/**
 * The profile page's extension point: other plugins (connections, activity...) add blocks
 * to a member's profile through the `profiles:sections` filter. Each section is rendered
 * with `{{> (lookup . "template") data}}`. Lists of people ask `profiles:headlines` for the
 * headlines the viewer may see, rather than reading the plugin's tables.
 */
import type { RucheContext, Viewer } from '../../core';

export interface ProfileSection {
  id: string;
  /** A registered template name, e.g. `connections/profile-buttons`. */
  template: string;
  data?: Record<string, unknown>;
  order?: number;
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
  }
}
