/** Membership administration in the core: requests awaiting approval, and invitations. */
import { HttpError } from '../errors';
import { field } from '../http/body';
import { isValidEmail } from '../auth/users';
import { INVITATIONS_PER_DAY, mayInvite } from '../auth/registration';
import { scopeOf } from '../access/scope';
import type { RouteDef } from '../plugins/manifest';
import type { RucheContext } from '../http/context';
import { adminPage, link, t } from '../http/request-helpers';
import { auditAction } from '../audit/audit-request';

const MAX_INVITES = 50;

/** Invitations a day for this viewer: more for the network's admins. */
function dailyLimit(ctx: RucheContext): number {
  return ctx.ruche.permissions.can(ctx.state.viewer, 'core.admin', ctx.state.network.id) ? INVITATIONS_PER_DAY.admin : INVITATIONS_PER_DAY.member;
}

/**
 * The invitation page, or a 403 page saying why not where the viewer may not invite (a
 * network that does not join by invitation: its admins only).
 */
function invitePage(
  ctx: RucheContext,
  values: { emails: string },
  errors: Record<string, string> = {},
  status = 200,
  result: Record<string, unknown> = {},
): { view: string; status: number; title: string; data: Record<string, unknown> } {
  const network = ctx.state.network;
  if (!mayInvite(ctx.ruche.permissions, ctx.state.viewer, network)) {
    const title = t(ctx, 'core.invite.adminsOnly.title');
    return {
      view: 'core/notice',
      status: 403,
      title,
      data: { heading: title, body: t(ctx, 'core.invite.adminsOnly.body', { network: network.name }) },
    };
  }
  return {
    view: 'core/invite',
    status,
    title: t(ctx, 'core.invite.title'),
    data: { values, errors, limit: t(ctx, 'core.invite.limitHint', { max: dailyLimit(ctx) }), ...result },
  };
}

/** The requests made to this network: each belongs to the network it was made to (its scope). */
async function requestsPage(ctx: RucheContext) {
  return adminPage(ctx, 'core/requests', t(ctx, 'core.requests.title'), 'core.requests', {
    requests: await ctx.ruche.registration.pendingRequests(ctx.state.network.id),
  });
}

export const memberRoutes: RouteDef[] = [
  { name: 'core.requests', method: 'GET', path: '/members/requests', capability: 'core.admin', handler: requestsPage },
  {
    name: 'core.requests.decide',
    method: 'POST',
    path: '/members/requests/:id',
    capability: 'core.admin',
    async handler(ctx) {
      const decision = field(ctx, 'decision');
      if (decision !== 'approve' && decision !== 'decline') throw new HttpError(400);
      // Only a request made to this network, by someone who may act in that network's scope:
      // another network's request answers 404, as a missing one does.
      const request = /^\d{1,12}$/.test(ctx.params.id ?? '') ? await ctx.ruche.registration.pendingRequest(Number(ctx.params.id)) : undefined;
      if (!request || request.network_id !== ctx.state.network.id || !ctx.ruche.scopes.mayAct(ctx.state.viewer, 'core.admin', scopeOf(request)))
        throw new HttpError(404);
      const ok = await ctx.ruche.registration.decide(request.id, decision === 'approve', ctx.state.network, ctx.state.locale);
      if (!ok) throw new HttpError(404);
      await auditAction(ctx, {
        action: `core.requests.${decision}`,
        objectType: 'user',
        objectId: request.id,
        after: { username: request.username, status: decision === 'approve' ? 'active' : 'declined' },
      });
      return { redirect: link(ctx, 'core.requests'), flash: `core.requests.${decision}d` };
    },
  },
  {
    name: 'core.invitations',
    method: 'GET',
    path: '/members/invite',
    capability: 'core.invite',
    handler: (ctx) => invitePage(ctx, { emails: '' }),
  },
  {
    name: 'core.invitations.send',
    method: 'POST',
    path: '/members/invite',
    capability: 'core.invite',
    async handler(ctx) {
      const raw = field(ctx, 'emails');
      const refused = invitePage(ctx, { emails: raw });
      if (refused.status === 403) return refused;
      const emails = [
        ...new Set(
          raw
            .split(/[\s,;]+/)
            .map((e) => e.trim().toLowerCase())
            .filter(Boolean),
        ),
      ];
      const bad = emails.filter((e) => !isValidEmail(e));
      const problem = !emails.length
        ? t(ctx, 'core.invite.none')
        : emails.length > MAX_INVITES
          ? t(ctx, 'core.invite.tooMany', { max: MAX_INVITES })
          : bad.length
            ? t(ctx, 'core.invite.bad', { emails: bad.join(', ') })
            : undefined;
      if (problem) return invitePage(ctx, { emails: raw }, { emails: problem }, 422);
      const viewer = ctx.state.viewer!;
      const limit = dailyLimit(ctx);
      const outcome = await ctx.ruche.registration.inviteMany(ctx.state.network, emails, viewer, limit, ctx.state.locale);
      if ('refused' in outcome) {
        const message =
          outcome.remaining === 0
            ? t(ctx, 'core.invite.limitReached', { max: limit })
            : t(ctx, 'core.invite.limitLeft', { count: outcome.remaining, max: limit });
        return invitePage(ctx, { emails: raw }, { emails: message }, 429);
      }
      return invitePage(ctx, { emails: '' }, {}, 200, { sent: outcome.sent, skipped: outcome.skipped.join(', ') });
    },
  },
];
