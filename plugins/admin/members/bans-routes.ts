/**
 * The network's bans in the members console (core/members/bans.ts: a banned member is no
 * longer a member, so the member list does not show them): who, why, when and by whom, and
 * "Lift ban" — they may join the network again (their membership is not given back). Lifting
 * is audited (`core.user.unban`, the reason before). A second submit finds the ban lifted
 * already and answers as the first did; a member never banned here is a 404, as an admin of
 * another network finds one banned there.
 */
import { auditAction, idParam, link, notFound, t, type RouteDef, type RouteResult, type RucheContext } from '../../../core';
import { ADMIN_ACCESS, type AdminPage } from '../constants';

export const UNBAN = 'core.user.unban';

export function banRoutes(page: AdminPage): RouteDef[] {
  const lifted = (ctx: RucheContext, flash: { key: string; params: Record<string, unknown> }): RouteResult => ({
    redirect: link(ctx, 'admin.members.banned'),
    flash,
  });

  return [
    {
      name: 'admin.members.banned',
      method: 'GET',
      path: '/admin/members/banned',
      capability: ADMIN_ACCESS,
      async handler(ctx) {
        const bans = await ctx.ruche.bans.list(ctx.state.network.id);
        return page(ctx, 'members-banned', t(ctx, 'admin.members.banned.title'), 'admin.members', {
          bans: bans.map((b) => ({ ...b, liftAction: link(ctx, 'admin.members.banned.lift', { id: b.userId }) })),
        });
      },
    },
    {
      name: 'admin.members.banned.lift',
      method: 'POST',
      path: '/admin/members/banned/:id/lift',
      capability: ADMIN_ACCESS,
      async handler(ctx) {
        const rt = ctx.ruche;
        const networkId = ctx.state.network.id;
        const userId = idParam(ctx);
        const ban = await rt.bans.get(networkId, userId);
        if (!ban) {
          // Lifted already (a double submit, or another admin was first): answered as the first.
          const query = { networkIds: [networkId], action: UNBAN, objectType: 'user', objectId: String(userId), limit: 1 };
          if (!(await rt.audit.page(query)).rows.length) throw notFound();
          const user = await rt.users.byId(userId);
          return lifted(ctx, { key: 'admin.members.banned.lifted', params: { name: user?.display_name ?? '' } });
        }
        // The lift and its audit entry commit together: a concurrent submit that no longer
        // finds the ban finds the entry, and answers as this one does.
        await rt.db.transaction(async (trx) => {
          if (await rt.bans.lift(networkId, userId, trx))
            await auditAction(
              ctx,
              {
                action: UNBAN,
                objectType: 'user',
                objectId: userId,
                before: { banned: true, reason: ban.reason, bannedAt: ban.bannedAt },
                after: { banned: false },
              },
              trx,
            );
        });
        return lifted(ctx, { key: 'admin.members.banned.lifted', params: { name: ban.displayName } });
      },
    },
  ];
}
