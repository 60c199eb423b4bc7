/**
 * The forms that change membership and the group's state: join (or request), cancel a
 * request, leave, accept/decline an invitation, approve/decline a request, promote,
 * demote, remove, archive, unarchive (transfer and delete are in form.ts). Each redirects with a
 * flash; refusals are localised HttpErrors thrown by the service before anything changes.
 */
import { HttpError, auditAction, back, idParam, link, type FlashMessage, type RouteDef, type RouteResult, type RucheContext } from '../../core';
import { USE, loadGroup, managedGroup, service } from './params';
import type { GroupRow } from './service';

/** A member of the group named by `:user` (any other id is a 404 of the member, not of the group). */
function userParam(ctx: RucheContext, name = 'user'): number {
  const id = idParam(ctx, name);
  if (!id) throw new HttpError(404, 'groups.errors.notMemberOther');
  return id;
}

/** A form about the group of `:id`, found by `find` (which throws unless the viewer may use the form). */
function groupForm(
  name: string,
  path: string,
  find: (ctx: RucheContext) => Promise<{ g: GroupRow }>,
  act: (ctx: RucheContext, g: GroupRow) => Promise<RouteResult>,
): RouteDef {
  return {
    name: `groups.${name}`,
    method: 'POST',
    path,
    capability: USE,
    async handler(ctx) {
      const { g } = await find(ctx);
      return act(ctx, g);
    },
  };
}

/**
 * A form of the group's managers, back to its members page with the message `act` returns;
 * written to the audit log as `groups.<name>` (with the member it was about, if any).
 */
const managed = (name: string, path: string, act: (ctx: RucheContext, g: GroupRow) => Promise<FlashMessage>): RouteDef =>
  groupForm(name, path, managedGroup, async (ctx, g) => {
    const flash = await act(ctx, g);
    const member = idParam(ctx, 'user');
    await auditAction(ctx, {
      action: `groups.${name}`,
      networkId: Number(g.network_id),
      objectType: 'group',
      objectId: g.id,
      after: member ? { group: g.name, member: await nameOf(ctx, member), memberId: member } : { group: g.name },
    });
    return back(ctx, link(ctx, 'groups.members', { id: g.id }), flash);
  });

/** A form about the viewer's own place in the group (join, cancel a request, leave). */
const ownPlace = (name: string, path: string, act: (ctx: RucheContext, g: GroupRow) => Promise<RouteResult>): RouteDef =>
  groupForm(name, path, loadGroup, act);

async function nameOf(ctx: RucheContext, userId: number): Promise<string> {
  return (await ctx.ruche.users.byId(userId))?.display_name ?? '';
}

export const actionRoutes: RouteDef[] = [
  ownPlace('join', '/groups/:id/join', async (ctx, g) => {
    const done = await service(ctx).join(ctx.state.viewer!, g);
    const key = done === 'joined' ? 'groups.flash.joined' : 'groups.flash.requested';
    return back(ctx, link(ctx, 'groups.view', { id: g.id }), { key, params: { name: g.name } });
  }),
  ownPlace('cancelRequest', '/groups/:id/cancel', async (ctx, g) => {
    await service(ctx).cancelRequest(ctx.state.viewer!, g);
    return back(ctx, link(ctx, 'groups.view', { id: g.id }), { key: 'groups.flash.cancelled', params: { name: g.name } });
  }),
  ownPlace('leave', '/groups/:id/leave', async (ctx, g) => {
    await service(ctx).leave(ctx.state.viewer!, g);
    // A secret group no longer exists for them: back to their groups, not to its page.
    return { redirect: link(ctx, 'groups.mine'), flash: { key: 'groups.flash.left', params: { name: g.name } } };
  }),
  {
    name: 'groups.invitation.accept',
    method: 'POST',
    path: '/groups/invitations/:invitation/accept',
    capability: USE,
    async handler(ctx) {
      const g = await service(ctx).acceptInvitation(ctx.state.viewer!, idParam(ctx, 'invitation'));
      return { redirect: link(ctx, 'groups.view', { id: g.id }), flash: { key: 'groups.flash.joined', params: { name: g.name } } };
    },
  },
  {
    name: 'groups.invitation.decline',
    method: 'POST',
    path: '/groups/invitations/:invitation/decline',
    capability: USE,
    async handler(ctx) {
      await service(ctx).declineInvitation(ctx.state.viewer!, idParam(ctx, 'invitation'));
      return back(ctx, link(ctx, 'groups.mine'), 'groups.flash.invitationDeclined');
    },
  },
  managed('request.approve', '/groups/:id/requests/:user/approve', async (ctx, g) => {
    const user = userParam(ctx);
    await service(ctx).decideRequest(ctx.state.viewer!, g, user, true);
    return { key: 'groups.flash.approved', params: { name: await nameOf(ctx, user) } };
  }),
  managed('request.decline', '/groups/:id/requests/:user/decline', async (ctx, g) => {
    const user = userParam(ctx);
    await service(ctx).decideRequest(ctx.state.viewer!, g, user, false);
    return { key: 'groups.flash.declined', params: { name: await nameOf(ctx, user) } };
  }),
  managed('member.promote', '/groups/:id/members/:user/promote', async (ctx, g) => {
    const user = userParam(ctx);
    await service(ctx).setRole(g, user, 'admin');
    return { key: 'groups.flash.promoted', params: { name: await nameOf(ctx, user) } };
  }),
  managed('member.demote', '/groups/:id/members/:user/demote', async (ctx, g) => {
    const user = userParam(ctx);
    await service(ctx).setRole(g, user, 'member');
    return { key: 'groups.flash.demoted', params: { name: await nameOf(ctx, user) } };
  }),
  managed('member.remove', '/groups/:id/members/:user/remove', async (ctx, g) => {
    const user = userParam(ctx);
    await service(ctx).removeMember(ctx.state.viewer!, g, user);
    return { key: 'groups.flash.removed', params: { name: await nameOf(ctx, user) } };
  }),
  managed('archive', '/groups/:id/archive', async (ctx, g) => (await service(ctx).setArchived(g, true), 'groups.flash.archived')),
  managed('unarchive', '/groups/:id/unarchive', async (ctx, g) => (await service(ctx).setArchived(g, false), 'groups.flash.unarchived')),
];
