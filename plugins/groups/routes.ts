/**
 * Reading pages: the directory (search, category, pages), my groups (with my invitations
 * and requests), a group's page (header, tabs, its feed and a composer for members) and
 * its member list (with the admins' tools), and the cover files. Handlers are thin; the
 * service and queries hold the rules, and every list goes through the access clause.
 */
import {
  avatarUrl,
  HttpError,
  beforeParam,
  cursorPager,
  cursorParams,
  field,
  here,
  link,
  queryParam,
  serveStored,
  setFlash,
  t,
  type RouteDef,
  type RouteResult,
  type RucheContext,
  titledPage,
} from '../../core';
import { composer, loadFeed } from '../activity/api';
import { groupHeader, readsContent } from './api';
import { COVER_FILE, coverKey } from './cover';
import { actionRoutes } from './actions';
import { formRoutes } from './form';
import { directory, DIRECTORY_CURSOR, MEMBER_CURSOR, members, mine, pendingInvitations, pendingRequests } from './queries';
import { CREATE, USE, card, loadGroup, managedGroup, service } from './params';
import { CATEGORIES } from './service';

async function directoryPage(ctx: RucheContext): Promise<RouteResult> {
  const q = queryParam(ctx, 'q').slice(0, 100);
  const category = (CATEGORIES as readonly string[]).includes(queryParam(ctx, 'category')) ? queryParam(ctx, 'category') : '';
  const cursor = cursorParams(ctx, ...DIRECTORY_CURSOR);
  const result = await directory(ctx.ruche, ctx.state.viewer, ctx.state.network.id, { q, category, ...cursor });
  return titledPage(ctx, 'groups/directory', 'groups.directory.title', {
    q,
    categories: CATEGORIES.map((c) => ({ value: c, label: t(ctx, `groups.category.${c}`), selected: c === category })),
    groups: result.items.map((g) => card(ctx, g)),
    // A search says how many groups match it, not that the network has none.
    summary: t(ctx, q || category ? 'groups.directory.matches' : 'groups.directory.count', { count: result.total }),
    filtered: !!(q || category),
    pager: cursorPager(ctx, result, cursor),
    createHref: ctx.ruche.permissions.can(ctx.state.viewer, CREATE, ctx.state.network.id) ? link(ctx, 'groups.new') : null,
  });
}

async function minePage(ctx: RucheContext): Promise<RouteResult> {
  const lists = await mine(ctx.ruche, ctx.state.viewer!, ctx.state.network.id);
  return titledPage(ctx, 'groups/mine', 'groups.mine.title', {
    groups: lists.member.map((g) => {
      const c = card(ctx, g);
      c.roleLabel = g.role === 'admin' ? t(ctx, 'groups.role.admin') : null;
      return c;
    }),
    invitations: lists.invitations.map((g) => ({
      ...card(ctx, g),
      inviter: g.inviter,
      invitedAt: g.invitedAt,
      acceptAction: link(ctx, 'groups.invitation.accept', { invitation: g.invitationId }),
      declineAction: link(ctx, 'groups.invitation.decline', { invitation: g.invitationId }),
    })),
    requests: lists.requests.map((g) => ({
      ...card(ctx, g),
      requestedAt: g.requestedAt,
      cancelAction: link(ctx, 'groups.cancelRequest', { id: g.id }),
    })),
    here: here(ctx),
    createHref: ctx.ruche.permissions.can(ctx.state.viewer, CREATE, ctx.state.network.id) ? link(ctx, 'groups.new') : null,
    directoryHref: link(ctx, 'groups.directory'),
  });
}

async function groupPage(ctx: RucheContext): Promise<RouteResult> {
  const { g, info, standing } = await loadGroup(ctx);
  const rt = ctx.ruche;
  const viewer = ctx.state.viewer;
  const header = await groupHeader(ctx, info, 'feed', g, standing);
  const reads = readsContent(rt, viewer, info);
  const feed = reads
    ? await loadFeed(ctx, { networkIds: [ctx.state.network.id], containerId: g.id, before: beforeParam(ctx) }, { kept: true })
    : null;
  let compose: Record<string, unknown> | null = null;
  if (info.canPost && info.role !== null && rt.permissions.can(viewer, 'activity.post', ctx.state.network.id)) {
    compose = await composer(ctx, { containerId: g.id, access: info.contentAccess, allowed: info.allowedAccess });
  }
  return {
    view: 'groups/group',
    title: g.name,
    data: { header, feed, composer: compose, reads, archived: info.archived, closedNotice: !reads },
  };
}

async function membersPage(ctx: RucheContext, invite: { value: string; error: string | null } = { value: '', error: null }): Promise<RouteResult> {
  const { g, info, standing } = await loadGroup(ctx);
  const rt = ctx.ruche;
  const header = await groupHeader(ctx, info, 'members', g, standing);
  const reads = readsContent(rt, ctx.state.viewer, info);
  const title = t(ctx, 'groups.members.title', { name: g.name });
  if (!reads) return { view: 'groups/members', title, data: { header, reads, pageTitle: title } };
  const cursor = cursorParams(ctx, ...MEMBER_CURSOR);
  const result = await members(rt, g.id, cursor);
  const viewerId = ctx.state.viewer?.id;
  const manage = info.canManage;
  const people = result.items.map((m) => ({
    ...m,
    displayName: m.display_name,
    href: link(ctx, 'profiles.view', { username: m.username }),
    avatar: avatarUrl(ctx, { id: m.id, photo_key: m.photo_key }, 64),
    roleLabel: m.role === 'admin' ? t(ctx, 'groups.role.admin') : null,
    isOwner: m.id === g.owner_id,
    manageable: manage && m.id !== viewerId && m.id !== g.owner_id,
    promoteAction: m.role === 'member' ? link(ctx, 'groups.member.promote', { id: g.id, user: m.id }) : null,
    demoteAction: m.role === 'admin' ? link(ctx, 'groups.member.demote', { id: g.id, user: m.id }) : null,
    removeAction: link(ctx, 'groups.member.remove', { id: g.id, user: m.id }),
  }));
  const [requests, invited] = manage ? await Promise.all([pendingRequests(rt, g.id), pendingInvitations(rt, g.id)]) : [[], []];
  return {
    view: 'groups/members',
    title,
    data: {
      header,
      reads,
      pageTitle: title,
      people,
      pager: cursorPager(ctx, result, cursor),
      manage,
      here: here(ctx),
      requests: requests.map((r) => ({
        ...r,
        displayName: r.display_name,
        href: link(ctx, 'profiles.view', { username: r.username }),
        approveAction: link(ctx, 'groups.request.approve', { id: g.id, user: r.userId }),
        declineAction: link(ctx, 'groups.request.decline', { id: g.id, user: r.userId }),
      })),
      invited: invited.map((i) => ({ displayName: i.display_name, username: i.username })),
      inviteAction: link(ctx, 'groups.invite', { id: g.id }),
      archived: info.archived,
      inviteValue: invite.value,
      inviteError: invite.error,
    },
    status: invite.error ? 400 : undefined,
  };
}

/** Invites a member by username; an unknown or already present member re-shows the form with the name kept. */
async function inviteAction(ctx: RucheContext): Promise<RouteResult> {
  const { g } = await managedGroup(ctx);
  const username = field(ctx, 'username');
  try {
    const invited = await service(ctx).invite(ctx.state.viewer!, g, username);
    setFlash(ctx, { type: 'success', key: 'groups.flash.invited', params: { name: invited.display_name } });
  } catch (e) {
    if (!(e instanceof HttpError) || ![400, 409].includes(e.status)) throw e;
    return membersPage(ctx, { value: username, error: t(ctx, e.messageKey, e.params) });
  }
  return { redirect: link(ctx, 'groups.members', { id: g.id }) };
}

async function coverFile(ctx: RucheContext): Promise<RouteResult> {
  const { g } = await loadGroup(ctx);
  const m = COVER_FILE.exec(String(ctx.params?.file ?? ''));
  if (!m || m[1] !== g.cover_key) throw new HttpError(404, 'groups.errors.notFound');
  await serveStored(ctx, ctx.ruche.storage, coverKey(m[1], Number(m[2])));
}

export const groupsRoutes: RouteDef[] = [
  { name: 'groups.directory', method: 'GET', path: '/groups', capability: USE, handler: directoryPage },
  { name: 'groups.mine', method: 'GET', path: '/groups/mine', capability: USE, handler: minePage },
  ...formRoutes,
  { name: 'groups.view', method: 'GET', path: '/groups/:id', capability: USE, handler: groupPage },
  { name: 'groups.members', method: 'GET', path: '/groups/:id/members', capability: USE, handler: (ctx) => membersPage(ctx) },
  { name: 'groups.cover', method: 'GET', path: '/groups/:id/cover/:file', capability: USE, handler: coverFile },
  { name: 'groups.invite', method: 'POST', path: '/groups/:id/invite', capability: USE, handler: (ctx) => inviteAction(ctx) },
  ...actionRoutes,
];
