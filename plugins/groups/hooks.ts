/**
 * The groups plugin's contract with other plugins.
 *
 * A group is an entity of type `group` and a container: content posted into it carries
 * `container_id = <group id>`. Membership lives in the core's `container_members` table
 * (role `admin` or `member`), which the access model reads for the `group` level.
 *
 * Visibility:
 *  - open:   listed; every member of the network sees its content; joining is one click.
 *            Content posted into it defaults to the `network` level.
 *  - closed: listed (name, description, member count); only members see its content
 *            (always the `group` level); joining is a request approved by group admins.
 *  - secret: only members know it exists (the group entity itself has the `group` level
 *            with itself as container); its URLs answer like a group that does not exist.
 *
 * Other plugins (blogs, discussions, activity, files, events...) use:
 *  - `groupFor(rt, containerId, viewer)` (api.ts): the group as this viewer may know it,
 *    or null when it does not exist for them; tells whether they may post and with which
 *    access level;
 *  - the `groups:tabs` filter to add their tab to a group's page (each tab is the plugin's
 *    own route, rendered with the group header from `groupHeader(ctx, group)`);
 *  - the events below (notifications listen to them);
 *  - for plugins that work with groups without depending on them (`integrations: ['groups']`
 *    in their manifest, e.g. messages and chat rooms): `groups:names` (names of groups by id)
 *    and `groups:ofMember` (the groups a member belongs to in a network). Only answered where
 *    groups are enabled; elsewhere the value passes through unchanged (no names, no groups).
 */
import type { AccessLevel, RucheContext, Runtime, Viewer } from '../../core';

export type GroupVisibility = 'open' | 'closed' | 'secret';

export interface GroupInfo {
  id: number;
  networkId: number;
  name: string;
  visibility: GroupVisibility;
  category: 'business' | 'social';
  archived: boolean;
  /** The viewer's role in the group, or null. */
  role: 'admin' | 'member' | null;
  /** The viewer may post content into the group (member, not archived; moderators too). */
  canPost: boolean;
  /** The viewer may manage the group (group admin, network moderator or admin). */
  canManage: boolean;
  /** The level content posted into the group gets: `network` (open) or `group`. */
  contentAccess: AccessLevel;
  /** Access levels a poster may choose inside this group. */
  allowedAccess: AccessLevel[];
  href: string;
}

export interface GroupTab {
  id: string;
  /** Already translated. */
  label: string;
  href: string;
  order?: number;
  count?: number;
}

declare module '../../core/hooks/map' {
  interface HookFilters {
    'groups:tabs': { value: GroupTab[]; context: { ctx: RucheContext; networkId: number; viewer: Viewer | null; group: GroupInfo } };
    'groups:names': { value: Record<number, string>; context: { rt: Runtime; networkId: number; ids: readonly number[] } };
    'groups:ofMember': { value: { id: number; name: string }[]; context: { rt: Runtime; networkId: number; userId: number } };
  }
  interface HookEvents {
    'groups:created': { networkId: number; groupId: number; userId: number };
    'groups:joined': { networkId: number; groupId: number; userId: number };
    'groups:left': { networkId: number; groupId: number; userId: number };
    'groups:requested': { networkId: number; groupId: number; userId: number };
    'groups:approved': { networkId: number; groupId: number; userId: number; byId: number };
    'groups:declined': { networkId: number; groupId: number; userId: number; byId: number };
    'groups:invited': { networkId: number; groupId: number; userId: number; byId: number };
    'groups:removed': { networkId: number; groupId: number; userId: number; byId: number };
    'groups:visibilityChanged': { networkId: number; groupId: number; from: GroupVisibility; to: GroupVisibility };
    'groups:deleted': { networkId: number; groupId: number; byId: number };
  }
}
