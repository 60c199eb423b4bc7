/**
 * The activity plugin's extension point. Content plugins describe their own entities in
 * the feed through the `activity:describe` filter: for every entry whose `entityType` is
 * theirs, they set `summary` (a template and its data) and `href`, loading what they need
 * for all entries at once (a fixed number of queries, whatever the page size). Entries
 * left without a summary are not shown.
 *
 * Mentions: `activity:mentioned` fires once per mentioned member when a post is created or
 * edited to add them (notifications listen to it). `@groupname` is resolved through the
 * `activity:mentionGroups` filter (the groups plugin answers it).
 */
import type { ActivityItem, RucheContext, Viewer } from '../../core';

export interface FeedEntry extends ActivityItem {
  /** Link to the entity's own page. */
  href?: string;
  /** How the entity is shown: `{{> (lookup summary "template") summary.data}}`. */
  summary?: { template: string; data: Record<string, unknown> };
}

export interface MentionedGroup {
  containerId: number;
  name: string;
  /** Members to notify (the groups plugin decides who, and whether the poster may). */
  memberIds: number[];
}

declare module '../../core/hooks/map' {
  interface HookFilters {
    'activity:describe': { value: FeedEntry[]; context: { ctx: RucheContext; networkId: number; viewer: Viewer | null } };
    'activity:mentionGroups': { value: MentionedGroup[]; context: { networkId: number; posterId: number; names: string[] } };
  }
  interface HookEvents {
    'activity:mentioned': { networkId: number; entityId: number; actorId: number; userId: number; viaGroup?: number };
    'activity:posted': { networkId: number; entityId: number; actorId: number };
    /** A post was pinned to the top of the network feed until `until`. */
    'activity:announced': { networkId: number; entityId: number; until: number };
  }
}
