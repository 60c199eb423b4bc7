/**
 * The profile page's extension point: other plugins (connections, activity...) add blocks
 * to a member's profile through the `profiles:sections` filter. Each section is rendered
 * with `{{> (lookup . "template") data}}`.
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
  }
}
