/**
 * The notifications plugin's contract with other plugins (declaration merging).
 *
 * - `notifications:kinds` (filter): every plugin registers its notification kinds — id,
 *   i18n keys for the preference label and the grouped sentence, the default email
 *   frequency, and `resolve`, which builds the link for a recipient and re-checks that
 *   they may still see the item (null: show and send nothing). Called with the network,
 *   so only kinds of plugins enabled there count.
 * - `notifications:notify` (event): ask for a notification (`userIds` for several recipients). The plugin drops it when the
 *   recipient is the actor, is not active, has blocked the actor, or cannot see the item.
 * - `notifications:seen` (event): the member has seen what a group is about (its `groupKey`);
 *   its lines are marked read.
 * - `notifications:blocked` (filter): answer true when `recipientId` must not hear about
 *   `actorId`'s acts (a member block, either way: the messages plugin's). Default false.
 *
 * Every plugin declares its own kinds (e.g. plugins/likes/notifications.ts) and imports this
 * file with `import type` only: the notifications plugin depends on no content plugin, and
 * a plugin whose kinds nobody collects (notifications disabled or absent) still loads. A link
 * to any entity comes from the core (`visibleEntityHref`, from the entity type's `viewRoute`).
 */
import { oneOf, type Runtime, type Viewer } from '../../core';

export const FREQUENCIES = ['immediately', 'daily', 'weekly', 'never'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const isFrequency = oneOf(FREQUENCIES);

/** One stored notification, as kinds see it. */
export interface NotificationRef {
  id: number;
  userId: number;
  kind: string;
  actorId: number | null;
  entityId: number | null;
  objectId: number | null;
  networkId: number;
  groupKey: string;
}

export interface NotificationKind {
  /** `<plugin>.<what>`, e.g. `likes.reacted`. */
  id: string;
  /** i18n key of the label on the preferences page (default `<plugin>.notifications.<what>.label`). */
  label?: string;
  /**
   * i18n key of the line shown for a group, a plural entry chosen with `count` (the number
   * of other actors) and given `actor` (latest actor's name), e.g.
   * `{ "one": "{actor} reacted to your post", "other": "{actor} and {count} others reacted to your post" }`
   * with a `zero` form for a single actor. Default `<plugin>.notifications.<what>.sentence`.
   */
  sentence?: string;
  defaultFrequency: Frequency;
  /**
   * `false` when the kind's plugin emails members itself (an urgent alert, sent at once on
   * purpose): the bell shows it, no email is sent for it, and members choose no frequency.
   */
  emails?: false;
  /**
   * The plugin the kind belongs to: the kind is dropped where that plugin is disabled.
   * Default: the id's prefix when it names a loaded plugin.
   */
  plugin?: string;
  /**
   * Link for the recipient (absolute path in the network), or null when they may not see it
   * now. Default: the notification's entity, when the recipient may see it (core access,
   * URL from the entity type's `viewRoute`). It may name another `sentence` key for this line
   * and `terms`, more parameters of the sentence given as i18n keys and translated in the
   * recipient's language (`{ reaction: 'likes.reaction.insightful' }`), and `values`, parameters
   * shown as they are (a file's name: `{ name: 'minutes.pdf' }`).
   */
  resolve?(rt: KindRuntime, n: NotificationRef, recipient: Viewer, basePath: string): Promise<ResolvedNotification | null>;
  /**
   * The words the notification is about (the post that mentions me, the comment, the
   * reply), as the member wrote them (Markdown) or plain text, so an email can be read
   * without opening the site: the email renders and sanitises them into plain text
   * (`plainTextOf`) and shortens them. Asked only for a line `resolve` answered when the
   * email is built (the recipient may see it then).
   */
  excerpt?(rt: Pick<Runtime, 'db'>, n: NotificationRef): Promise<string | null>;
}

/** Where a notification leads, and optionally the sentence that says it (see `NotificationKind.resolve`). */
export interface ResolvedNotification {
  href: string;
  sentence?: string;
  terms?: Record<string, string>;
  /** Sentence parameters shown as they are (not i18n keys): a name the member gave. */
  values?: Record<string, string>;
}

/** The core services a kind's `resolve` is handed (what links and access checks need). */
export type KindRuntime = Pick<Runtime, 'access' | 'db' | 'entities' | 'hooks' | 'plugins' | 'pluginState' | 'routes' | 'users'>;

/** A kind as the notifications plugin keeps it, its i18n keys filled in. */
export type RegisteredKind = NotificationKind & { label: string; sentence: string; resolve: NonNullable<NotificationKind['resolve']> };

export interface NotifyInput {
  networkId: number;
  kind: string;
  userId: number;
  actorId: number | null;
  entityId?: number | null;
  objectId?: number | null;
  /** Rows with the same key are shown as one line (default: kind + entity). */
  groupKey?: string;
}

/** The same notification for several recipients, each checked on their own. */
export type NotifyEach = Omit<NotifyInput, 'userId'> & { userIds: readonly number[] };

declare module '../../core/hooks/map' {
  interface HookFilters {
    'notifications:kinds': { value: NotificationKind[]; context: { networkId: number } };
    'notifications:blocked': { value: boolean; context: { networkId: number; recipientId: number; actorId: number } };
  }
  interface HookEvents {
    'notifications:notify': NotifyInput | NotifyEach;
    /**
     * The member has seen what a group of notifications is about (e.g. opened the
     * conversation): its lines are marked read, as if they had opened one from the list.
     */
    'notifications:seen': { networkId: number; userId: number; groupKey: string };
  }
}
