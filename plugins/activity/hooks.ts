/**
 * The activity plugin's extension point. Content plugins describe their own entities in
 * the feed through the `activity:describe` filter: for every entry whose `entityType` is
 * theirs, they set `summary` (a template and its data) and `href`, loading what they need
 * for all entries at once (a fixed number of queries, whatever the page size). Entries
 * left without a summary are not shown.
 *
 * Mentions go through the core (core/content/mentions.ts: `content:mentioned`,
 * `content:mentionGroups`); status posts' events carry `source: 'status'`.
 */
import type { ActivityItem, RucheContext, Viewer } from '../../core';

export interface FeedEntry extends ActivityItem {
  /** Link to the entity's own page. */
  href?: string;
  /** How the entity is shown: `{{> (lookup summary "template") summary.data}}`. */
  /**
   * `key` (issue 18), as a panel's (`EntityPanel.key`): what `data` is a function of, told smaller
   * than the data (the entity's version from `entities.version` and the viewer's own facts); the
   * kept card is then keyed by it in place of the data. Leave it out when unsure. `versioned`: the
   * promise `EntityPanel.versioned` makes (core/hooks/map.ts), for the summary.
   */
  summary?: { template: string; data: Record<string, unknown>; key?: unknown; versioned?: boolean };
}

/**
 * A second way to post from the status composer (`activity:composerActions`): a button beside
 * "Post" that saves the status as usual, then leads to `next(statusId)` (the polls plugin's
 * "Post and add a poll" opens its form for the new post). Offer it only to who may follow it.
 */
export interface ComposerAction {
  id: string;
  label: string;
  next(statusId: number): string;
}

declare module '../../core/hooks/map' {
  interface HookFilters {
    'activity:describe': { value: FeedEntry[]; context: { ctx: RucheContext; networkId: number; viewer: Viewer | null } };
    'activity:composerActions': { value: ComposerAction[]; context: { ctx: RucheContext } };
  }
  interface HookEvents {
    'activity:posted': { networkId: number; entityId: number; actorId: number };
    /** A post was pinned to the top of the network feed until `until`. */
    'activity:announced': { networkId: number; entityId: number; until: number };
  }
}
