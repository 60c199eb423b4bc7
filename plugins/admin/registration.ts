/**
 * The registration page of the admin area: who may join this network (open, email
 * domains, invitation, approval), which domains, and whether guests see public content.
 */
import { HttpError, JOIN_POLICIES, auditAction, changes, field, isJoinPolicy, link, t, type RouteDef, type RucheContext } from '../../core';
import { ADMIN_ACCESS, type AdminPage } from './constants';
import { requireSettingsRights } from './settings-scope';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export interface RegistrationValues {
  policy: string;
  domains: string;
  allowGuests: boolean;
  /** Members sign in through the network's identity providers only (root administrators keep their password). */
  ssoOnly: boolean;
}

/** Checks the form; returns the parsed domains or field errors (i18n keys). */
export function validateRegistration(values: RegistrationValues): {
  domains: string[];
  errors: Record<string, { key: string; params?: Record<string, unknown> }>;
} {
  const errors: Record<string, { key: string; params?: Record<string, unknown> }> = {};
  const domains = [
    ...new Set(
      values.domains
        .split(/[\s,;]+/)
        .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
        .filter(Boolean),
    ),
  ];
  if (!isJoinPolicy(values.policy)) errors.policy = { key: 'admin.registration.error.policy' };
  const bad = domains.filter((d) => !DOMAIN.test(d));
  if (bad.length) errors.domains = { key: 'admin.registration.error.badDomains', params: { domains: bad.join(', ') } };
  else if (values.policy === 'domain' && !domains.length) errors.domains = { key: 'admin.registration.error.noDomain' };
  return { domains, errors };
}

/** The viewer may not change this network's join policy (see scopes.ofJoinPolicy). */
function policyLocked(ctx: RucheContext): boolean {
  const { scopes } = ctx.ruche;
  return !scopes.mayAct(ctx.state.viewer, ADMIN_ACCESS, scopes.ofJoinPolicy(ctx.state.network));
}

export function registrationRoutes(page: AdminPage): RouteDef[] {
  const render = (
    ctx: RucheContext,
    values: RegistrationValues,
    errors: Record<string, { key: string; params?: Record<string, unknown> }> = {},
    status?: number,
  ) =>
    page(
      ctx,
      'registration',
      t(ctx, 'admin.registration.title'),
      'admin.registration',
      {
        values,
        errors: Object.fromEntries(Object.entries(errors).map(([k, e]) => [k, t(ctx, e.key, e.params)])),
        hasErrors: Object.keys(errors).length > 0,
        locked: policyLocked(ctx) ? t(ctx, 'admin.registration.error.rootRights', { network: ctx.state.network.name }) : null,
        policies: JOIN_POLICIES.map((p) => ({
          value: p,
          label: t(ctx, `admin.registration.policy.${p}`),
          hint: t(ctx, `admin.registration.policyHint.${p}`),
          selected: p === values.policy,
        })),
      },
      status,
    );
  return [
    {
      name: 'admin.registration',
      method: 'GET',
      path: '/admin/registration',
      capability: ADMIN_ACCESS,
      handler(ctx) {
        const n = ctx.state.network;
        return render(ctx, { policy: n.joinPolicy, domains: n.joinDomains.join(', '), allowGuests: n.allowGuests, ssoOnly: !!n.ssoOnly });
      },
    },
    {
      name: 'admin.registration.save',
      method: 'POST',
      path: '/admin/registration',
      capability: ADMIN_ACCESS,
      async handler(ctx) {
        requireSettingsRights(ctx);
        const values = {
          policy: field(ctx, 'policy'),
          domains: field(ctx, 'domains'),
          allowGuests: field(ctx, 'allowGuests') === 'on',
          ssoOnly: field(ctx, 'ssoOnly') === 'on',
        };
        if (values.domains.length > 5000) throw new HttpError(413);
        const { domains, errors } = validateRegistration(values);
        if (Object.keys(errors).length) return render(ctx, values, errors, 422);
        // Who may join a network whose newcomers also join the root is the installation's choice.
        const n = ctx.state.network;
        const policyChanged = values.policy !== n.joinPolicy || domains.join(',') !== n.joinDomains.join(',');
        if (policyChanged && policyLocked(ctx))
          return render(ctx, values, { policy: { key: 'admin.registration.error.rootRights', params: { network: n.name } } }, 403);
        await ctx.ruche.networks.update(n.id, {
          joinPolicy: values.policy,
          joinDomains: domains,
          allowGuests: values.allowGuests,
          ssoOnly: values.ssoOnly,
        });
        const changed = changes(
          { policy: n.joinPolicy, domains: n.joinDomains.join(', '), allowGuests: n.allowGuests, ssoOnly: !!n.ssoOnly },
          { policy: values.policy, domains: domains.join(', '), allowGuests: values.allowGuests, ssoOnly: values.ssoOnly },
        );
        if (changed) await auditAction(ctx, { action: 'admin.registration.save', objectType: 'network', objectId: n.id, ...changed });
        return { redirect: link(ctx, 'admin.registration'), flash: 'admin.registration.saved' };
      },
    },
  ];
}
