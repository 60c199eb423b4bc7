/** Joining (under the network's policy), verifying an address, and resetting a password. */
import { field } from '../http/body';
import { signIn } from '../http/session';
import type { RouteDef, RouteResult } from '../plugins/manifest';
import type { RucheContext } from '../http/context';
import { translateErrors } from './forms';
import { t } from '../http/request-helpers';

/** A one-message page (check your email, link expired...). */
export function notice(ctx: RucheContext, key: string, status = 200, params: Record<string, unknown> = {}): RouteResult {
  return {
    view: 'core/notice',
    status,
    title: t(ctx, `${key}.title`, params),
    data: { heading: t(ctx, `${key}.title`, params), body: t(ctx, `${key}.body`, params) },
  };
}

function registerForm(ctx: RucheContext, values: Record<string, string>, errors: Record<string, string> = {}, status = 200): RouteResult {
  const network = ctx.state.network;
  return {
    view: 'core/register',
    status,
    title: t(ctx, 'core.register.title'),
    data: {
      values,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      policyHint: t(ctx, `core.register.policy.${network.joinPolicy}`, { domains: network.joinDomains.map((d) => `@${d}`).join(', ') }),
    },
  };
}

/** What a signed-in member (home) or a visitor of a network that signs in only through SSO gets instead of the registration form. */
function closedToRegistration(ctx: RucheContext): RouteResult | undefined {
  if (ctx.state.viewer) return { redirect: `${ctx.state.basePath}/` };
  if (ctx.state.network.ssoOnly) return notice(ctx, 'core.register.ssoOnly', 403);
  return undefined;
}

/** A route of `/register`: for visitors, where members may register other than through SSO. */
function registrationRoute(name: string, method: 'GET' | 'POST', handler: (ctx: RucheContext) => Promise<RouteResult>): RouteDef {
  return { name, outsiders: true, method, path: '/register', public: true, handler: (ctx) => closedToRegistration(ctx) ?? handler(ctx) };
}

const REGISTER_FIELDS = ['username', 'email', 'displayName', 'invite'];

export const registerRoutes: RouteDef[] = [
  registrationRoute('core.register', 'GET', async (ctx) => {
    const invite = typeof ctx.query.invite === 'string' ? ctx.query.invite : '';
    if (ctx.state.network.joinPolicy === 'invitation') {
      const check = await ctx.ruche.links.check('invitation', invite);
      if (!check.ok) return notice(ctx, invite ? `core.register.invite.${check.reason}` : 'core.register.inviteOnly', invite ? 410 : 200);
      return registerForm(ctx, { invite, email: String(check.link.data.email ?? '') });
    }
    return registerForm(ctx, {});
  }),
  registrationRoute('core.register.submit', 'POST', async (ctx) => {
    const values = Object.fromEntries(REGISTER_FIELDS.map((k) => [k, field(ctx, k)]));
    const password = field(ctx, 'password');
    const errors: Record<string, { key: string }> = {};
    if (password !== field(ctx, 'passwordConfirm')) errors.passwordConfirm = { key: 'core.setup.error.passwordMismatch' };
    const result = Object.keys(errors).length
      ? { errors }
      : await ctx.ruche.registration.register(ctx.state.network, {
          ...values,
          username: values.username,
          email: values.email,
          password,
          locale: ctx.state.locale,
        });
    if ('errors' in result) return registerForm(ctx, values, translateErrors(ctx, result.errors), 422);
    if (result.status === 'active') {
      await signIn(ctx, result.userId);
      return { redirect: `${ctx.state.basePath}/`, flash: { key: 'core.register.welcome', params: { site: ctx.state.network.name } } };
    }
    return notice(ctx, 'core.register.sent', 200, { email: values.email.trim() });
  }),
  {
    name: 'core.verify',
    outsiders: true,
    method: 'GET',
    path: '/verify',
    public: true,
    async handler(ctx) {
      const result = await ctx.ruche.registration.verify(ctx.query.token);
      if (!result.ok) return notice(ctx, `core.verify.${result.reason}`, result.reason === 'invalid' ? 400 : 410);
      if (result.status === 'awaiting-approval') return notice(ctx, 'core.verify.awaitingApproval');
      await signIn(ctx, result.userId);
      return { redirect: `${ctx.state.basePath}/`, flash: { key: 'core.verify.done', params: { site: ctx.state.network.name } } };
    },
  },
  {
    name: 'core.password.forgot',
    outsiders: true,
    method: 'GET',
    path: '/password/forgot',
    public: true,
    handler: (ctx) => ({ view: 'core/password-forgot', title: t(ctx, 'core.password.forgot.title'), data: { values: { email: '' } } }),
  },
  {
    name: 'core.password.forgot.submit',
    outsiders: true,
    method: 'POST',
    path: '/password/forgot',
    public: true,
    async handler(ctx) {
      const email = field(ctx, 'email').trim();
      if (!email)
        return {
          view: 'core/password-forgot',
          status: 422,
          title: t(ctx, 'core.password.forgot.title'),
          data: { values: { email }, errors: { email: t(ctx, 'core.user.error.emailRequired') } },
        };
      await ctx.ruche.registration.requestReset(ctx.state.network, email, ctx.state.locale);
      // The same answer whether or not the address has an account.
      return notice(ctx, 'core.password.forgot.sent', 200, { email });
    },
  },
  {
    name: 'core.password.reset',
    outsiders: true,
    method: 'GET',
    path: '/password/reset',
    public: true,
    async handler(ctx) {
      const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
      const check = await ctx.ruche.links.check('reset-password', token);
      if (!check.ok) return notice(ctx, `core.password.reset.${check.reason}`, check.reason === 'invalid' ? 400 : 410);
      return { view: 'core/password-reset', title: t(ctx, 'core.password.reset.title'), data: { token } };
    },
  },
  {
    name: 'core.password.reset.submit',
    outsiders: true,
    method: 'POST',
    path: '/password/reset',
    public: true,
    async handler(ctx) {
      const rt = ctx.ruche;
      const token = field(ctx, 'token');
      const check = await rt.links.check('reset-password', token);
      if (!check.ok) return notice(ctx, `core.password.reset.${check.reason}`, check.reason === 'invalid' ? 400 : 410);
      const password = field(ctx, 'password');
      const form = (errors: Record<string, string>) => ({
        view: 'core/password-reset',
        status: 422,
        title: t(ctx, 'core.password.reset.title'),
        data: { token, errors },
      });
      if (password !== field(ctx, 'passwordConfirm')) return form({ passwordConfirm: t(ctx, 'core.setup.error.passwordMismatch') });
      const userId = check.link.userId!;
      const problem = await rt.users.setPassword(userId, password);
      if (problem) return form({ password: t(ctx, problem) });
      await rt.links.consume('reset-password', token);
      await rt.links.voidAll('reset-password', userId);
      // The link came to the member's inbox: the address is proven. Activation follows the
      // policy of the network they applied to, not this one's.
      await rt.registration.markVerified(userId);
      return { redirect: `${ctx.state.basePath}/login?next=${encodeURIComponent(`${ctx.state.basePath}/`)}`, flash: 'core.password.reset.done' };
    },
  },
];
