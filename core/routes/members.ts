/** Membership administration in the core: requests awaiting approval, and invitations. */
import { HttpError } from '../errors';
import { field } from '../http/body';
import { setFlash } from '../http/flash';
import { isValidEmail } from '../auth/users';
import { scopeOf } from '../access/scope';
import type { RouteDef } from '../plugins/manifest';
import type { RucheContext } from '../http/context';
import { link, t } from '../http/request-helpers';

const MAX_INVITES = 50;

/** The requests made to this network: each belongs to the network it was made to (its scope). */
async function requestsPage(ctx: RucheContext) {
  return { view: 'core/requests', title: t(ctx, 'core.requests.title'), data: { requests: await ctx.ruche.registration.pendingRequests(ctx.state.network.id) } };
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
      if (!request || request.network_id !== ctx.state.network.id || !ctx.ruche.scopes.mayAct(ctx.state.viewer, 'core.admin', scopeOf(request))) throw new HttpError(404);
      const ok = await ctx.ruche.registration.decide(request.id, decision === 'approve', ctx.state.network, ctx.state.locale);
      if (!ok) throw new HttpError(404);
      setFlash(ctx, { type: 'success', key: `core.requests.${decision}d` });
      return { redirect: link(ctx, 'core.requests') };
    },
  },
  {
    name: 'core.invitations',
    method: 'GET',
    path: '/members/invite',
    capability: 'core.invite',
    handler: (ctx) => ({ view: 'core/invite', title: t(ctx, 'core.invite.title'), data: { values: { emails: '' } } }),
  },
  {
    name: 'core.invitations.send',
    method: 'POST',
    path: '/members/invite',
    capability: 'core.invite',
    async handler(ctx) {
      const raw = field(ctx, 'emails');
      const emails = [...new Set(raw.split(/[\s,;]+/).map((e) => e.trim().toLowerCase()).filter(Boolean))];
      const bad = emails.filter((e) => !isValidEmail(e));
      const problem = !emails.length ? t(ctx, 'core.invite.none') : emails.length > MAX_INVITES ? t(ctx, 'core.invite.tooMany', { max: MAX_INVITES }) : bad.length ? t(ctx, 'core.invite.bad', { emails: bad.join(', ') }) : undefined;
      if (problem) return { view: 'core/invite', status: 422, title: t(ctx, 'core.invite.title'), data: { values: { emails: raw }, errors: { emails: problem } } };
      const skipped: string[] = [];
      for (const email of emails) {
        if (!(await ctx.ruche.registration.invite(ctx.state.network, email, ctx.state.viewer!.displayName, ctx.state.locale))) skipped.push(email);
      }
      return { view: 'core/invite', title: t(ctx, 'core.invite.title'), data: { values: { emails: '' }, sent: emails.length - skipped.length, skipped: skipped.join(', ') } };
    },
  },
];
