/**
 * Signing in with the directory password: a form on Ruche (the directory has no pages of its
 * own), checked against the directory, throttled like the password form (per login and
 * address). A wrong password shows the form again with the login typed kept; any other
 * refusal is the core's localised page, the details in the log.
 */
import {
  clientAddress,
  completeExternalSignIn,
  field,
  safeNext,
  signInFailure,
  signInThrottled,
  t,
  type RouteDef,
  type RouteResult,
  type RucheContext,
} from '../../core';
import { SIGN_IN_PATH, SSO_LDAP_PLUGIN_ID } from './constants';
import { LdapSignIn } from './service';

const service = (ctx: RucheContext): LdapSignIn => ctx.ruche.container.resolve(LdapSignIn);

function form(ctx: RucheContext, label: string, values: { login: string }, next: string, error?: string, status?: number): RouteResult {
  return {
    view: 'sso-ldap/sign-in',
    status,
    title: t(ctx, 'core.sso.signInWith', { provider: label }),
    data: {
      values,
      next,
      error,
      label,
      action: `${ctx.state.basePath}${SIGN_IN_PATH}`,
      otherHref: `${ctx.state.basePath}/login?next=${encodeURIComponent(next)}`,
    },
  };
}

export const ldapRoutes: RouteDef[] = [
  {
    name: 'sso-ldap.form',
    method: 'GET',
    path: SIGN_IN_PATH,
    public: true,
    outsiders: true,
    handler(ctx) {
      const next = safeNext(ctx);
      if (ctx.state.viewer) return { redirect: next };
      const directory = service(ctx).directory(ctx.state.network);
      if (!directory) return signInFailure(ctx, 'notConfigured', { plugin: SSO_LDAP_PLUGIN_ID });
      return form(ctx, service(ctx).label(directory), { login: '' }, next);
    },
  },
  {
    name: 'sso-ldap.submit',
    method: 'POST',
    path: SIGN_IN_PATH,
    public: true,
    outsiders: true,
    async handler(ctx) {
      const rt = ctx.ruche;
      const next = safeNext(ctx);
      const svc = service(ctx);
      const directory = svc.directory(ctx.state.network);
      if (!directory) return signInFailure(ctx, 'notConfigured', { plugin: SSO_LDAP_PLUGIN_ID });
      const label = svc.label(directory);
      const login = field(ctx, 'login').trim();
      const password = field(ctx, 'password');
      const again = (status: number, key: string, params: Record<string, unknown> = {}) =>
        form(ctx, label, { login }, next, t(ctx, key, params), status);
      if (!login || !password) return again(422, 'core.login.missing');
      const account = `ldap:${login.toLowerCase().slice(0, 200)}`;
      const ip = clientAddress(ctx);
      const throttled = await signInThrottled(ctx, account);
      if (throttled) return again(throttled.status, throttled.key, throttled.params);
      const checked = await svc.authenticate(directory, login, password);
      if ('failure' in checked && checked.failure === 'credentials') {
        await rt.throttle.record(account, ip, 'failure');
        rt.logger.info({ plugin: SSO_LDAP_PLUGIN_ID, ...checked.details, reqId: ctx.state.requestId }, 'directory sign-in refused');
        return again(422, 'sso-ldap.error.credentials');
      }
      // The password was right (a disabled account too); an unreachable directory proved nothing.
      if (!('failure' in checked) || checked.failure === 'disabled') await rt.throttle.record(account, ip, 'success');
      if ('failure' in checked) return signInFailure(ctx, checked.failure, { plugin: SSO_LDAP_PLUGIN_ID, ...checked.details });
      return completeExternalSignIn(ctx, checked, next);
    },
  },
];
