/**
 * What other plugins call (see hooks.ts): `groupFor` — the group as a viewer may know it,
 * or null — and `groupHeader` — the data of the `groups/partials/header` partial that a
 * group's tab pages render at the top:
 *
 *   const group = await groupFor(ctx.ruche, containerId, ctx.state.viewer);
 *   if (!group) throw ...404 (members) / 401 (guests)...;
 *   return { view: 'blogs/list', data: { groupHeader: await groupHeader(ctx, group, 'blogs'), ... } };
 *   {{> groups/partials/header groupHeader}}
 */
import { link, preparedRead, t, type RucheContext, type Runtime, type Viewer } from '../../core';
import type { GroupInfo, GroupTab } from './hooks';
import { coverUrl } from './cover';
import { GroupsService, type GroupRow } from './service';

/** The viewer's role in a group, its member count and the viewer's pending request and invitation, in one statement; kept prepared. */
const STANDING = preparedRead<{
  role: string | null;
  members: number | string | null;
  request: number | string | null;
  invitation: number | string | null;
}>(
  `select (select role from container_members where container_id = ? and user_id = ? limit 1) as role,
  (select members from group_member_counts where group_id = ?) as members,
  (select id from group_requests where group_id = ? and user_id = ? limit 1) as request,
  (select id from group_invitations where group_id = ? and user_id = ? and accepted_at is null limit 1) as invitation`,
);

/** Where the viewer stands in a group (their role, its count, their pending request and invitation): what its pages and header show. */
export interface GroupStanding {
  role: 'admin' | 'member' | null;
  members: number;
  request: number | null;
  invitation: number | null;
}

export async function groupStanding(rt: Runtime, groupId: number, viewerId: number | undefined): Promise<GroupStanding> {
  const v = viewerId ?? 0;
  const r = await STANDING.first(rt.db, [groupId, v, groupId, groupId, v, groupId, v]);
  const role = viewerId && r?.role != null ? (r.role === 'admin' ? 'admin' : 'member') : null;
  const id = (x: number | string | null | undefined) => (x == null ? null : Number(x));
  return { role, members: Number(r?.members ?? 0), request: id(r?.request), invitation: id(r?.invitation) };
}

/** The network's path prefix (`/n/<slug>` for sub-networks reached by path). */
function basePath(rt: Runtime, networkId: number): string {
  const n = rt.networks.get(networkId);
  return !n || n.id === rt.networks.root().id ? '' : `/n/${n.slug}`;
}

export function infoOf(rt: Runtime, g: GroupRow, viewer: Viewer | null, role: 'admin' | 'member' | null): GroupInfo {
  const moderator = rt.access.canModerate(viewer, g);
  const archived = g.archived_at !== null;
  return {
    id: g.id,
    networkId: g.network_id,
    name: g.name,
    visibility: g.visibility,
    category: g.category,
    archived,
    role,
    canPost: !archived && (role !== null || moderator),
    canManage: role === 'admin' || moderator,
    contentAccess: g.visibility === 'open' ? 'network' : 'group',
    allowedAccess: g.visibility === 'open' ? ['network', 'group'] : ['group'],
    href: rt.routes.build('groups.view', { id: g.id }, basePath(rt, g.network_id)),
  };
}

/** The group `containerId` as this viewer may know it; null when it is not a group or not visible to them. */
export async function groupFor(rt: Runtime, containerId: number, viewer: Viewer | null): Promise<GroupInfo | null> {
  const s = rt.container.resolve(GroupsService);
  const g = await s.find(containerId);
  if (!g || g.deleted_at || !(await rt.access.canSee(viewer, g))) return null;
  return infoOf(rt, g, viewer, await s.role(g.id, viewer?.id));
}

/** Whether the viewer may read what is posted in the group: open groups, members, moderators. */
export function readsContent(rt: Runtime, viewer: Viewer | null, group: GroupInfo): boolean {
  return group.visibility === 'open' || group.role !== null || rt.access.canModerate(viewer, { network_id: group.networkId });
}

export interface GroupHeader {
  id: number;
  name: string;
  href: string;
  cover: string | null;
  visibility: string;
  visibilityLabel: string;
  categoryLabel: string;
  archived: boolean;
  membersLabel: string;
  descriptionHtml: string;
  handle: string;
  state: 'member' | 'admin' | 'requested' | 'invited' | 'none';
  canJoin: boolean;
  canRequest: boolean;
  canManage: boolean;
  invitationId: number | null;
  joinAction: string;
  leaveAction: string;
  cancelAction: string;
  acceptAction: string | null;
  declineAction: string | null;
  editHref: string;
  here: string;
  tabs: (GroupTab & { current: boolean })[];
}

/** Everything the header partial shows: name, cover, badges, member count, buttons and tabs (`current` = tab id). */
export async function groupHeader(
  ctx: RucheContext,
  group: GroupInfo,
  current = 'feed',
  row?: GroupRow,
  known?: GroupStanding,
): Promise<GroupHeader> {
  const rt = ctx.ruche;
  const viewer = ctx.state.viewer;
  const s = rt.container.resolve(GroupsService);
  const [g, standing] = await Promise.all([row && row.id === group.id ? row : s.find(group.id), known ?? groupStanding(rt, group.id, viewer?.id)]);
  if (!g) throw new Error(`group ${group.id} vanished`);
  const count = standing.members;
  const request = standing.request;
  const invitation = standing.invitation;
  const state: GroupHeader['state'] = group.role ?? (invitation ? 'invited' : request ? 'requested' : 'none');
  const id = group.id;
  const base: GroupTab[] = [
    { id: 'feed', label: t(ctx, 'groups.tabs.feed'), href: link(ctx, 'groups.view', { id }), order: 0 },
    { id: 'members', label: t(ctx, 'groups.tabs.members'), href: link(ctx, 'groups.members', { id }), order: 100, count },
  ];
  const contributed = readsContent(rt, viewer, group)
    ? await rt.hooks.filter('groups:tabs', [], { ctx, networkId: group.networkId, viewer, group })
    : [];
  const tabs = [...base, ...contributed].sort((a, b) => (a.order ?? 50) - (b.order ?? 50)).map((tab) => ({ ...tab, current: tab.id === current }));
  return {
    id,
    name: group.name,
    href: link(ctx, 'groups.view', { id }),
    cover: coverUrl(ctx, id, g.cover_key, 1200),
    visibility: group.visibility,
    visibilityLabel: t(ctx, `groups.visibility.${group.visibility}.label`),
    categoryLabel: t(ctx, `groups.category.${group.category}`),
    archived: group.archived,
    membersLabel: t(ctx, 'groups.members.count', { count }),
    descriptionHtml: g.description_html,
    handle: g.handle,
    state,
    canJoin: !!viewer && state === 'none' && !group.archived && group.visibility === 'open',
    canRequest: !!viewer && state === 'none' && !group.archived && group.visibility === 'closed',
    canManage: group.canManage,
    invitationId: invitation ? Number(invitation) : null,
    joinAction: link(ctx, 'groups.join', { id }),
    leaveAction: link(ctx, 'groups.leave', { id }),
    cancelAction: link(ctx, 'groups.cancelRequest', { id }),
    acceptAction: invitation ? link(ctx, 'groups.invitation.accept', { invitation: Number(invitation) }) : null,
    declineAction: invitation ? link(ctx, 'groups.invitation.decline', { invitation: Number(invitation) }) : null,
    editHref: link(ctx, 'groups.edit', { id }),
    here: `${ctx.state.basePath ?? ''}${ctx.path}`,
    tabs,
  };
}
